-- Who did what to what, when and from where: every staff action that changes what the public sees
-- (and, later, role grants). Rows are only ever added.
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    action        TEXT NOT NULL,
    target        TEXT NOT NULL,
    -- JSON: what it was before and after, so an edit can be undone by hand.
    details       TEXT NOT NULL,
    client        TEXT NOT NULL,
    at            INTEGER NOT NULL
);
CREATE INDEX audit_log_target ON audit_log (target, at);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, at);
