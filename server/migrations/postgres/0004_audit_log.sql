-- Who did what to what, when and from where: every staff action that changes what the public sees
-- (and, later, role grants). Rows are only ever added.
CREATE TABLE audit_log (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    action        TEXT NOT NULL,
    target        TEXT NOT NULL,
    -- JSON: what it was before and after, so an edit can be undone by hand.
    details       TEXT NOT NULL,
    client        TEXT NOT NULL,
    at            BIGINT NOT NULL
);
CREATE INDEX audit_log_target ON audit_log (target, at);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, at);
