-- 共谋: consultations, the owner roster, ballots by any channel, comments, follow-up updates, and
-- the matter rules (art. 278 thresholds as data). Areas are integer hundredths of a square metre.
CREATE TABLE matter_rules (
    code             TEXT PRIMARY KEY,
    name_zh          TEXT NOT NULL,
    name_en          TEXT NOT NULL,
    basis_zh         TEXT NOT NULL,
    basis_en         TEXT NOT NULL,
    quorum_num       BIGINT NOT NULL CHECK (quorum_num > 0),
    quorum_den       BIGINT NOT NULL CHECK (quorum_den >= quorum_num),
    quorum_inclusive BIGINT NOT NULL CHECK (quorum_inclusive IN (0, 1)),
    pass_num         BIGINT NOT NULL CHECK (pass_num > 0),
    pass_den         BIGINT NOT NULL CHECK (pass_den >= pass_num),
    pass_inclusive   BIGINT NOT NULL CHECK (pass_inclusive IN (0, 1)),
    scope_rule       TEXT NOT NULL CHECK (scope_rule IN ('any', 'stairwell')),
    sort_order       BIGINT NOT NULL
);

CREATE TABLE roster_units (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_code   TEXT NOT NULL REFERENCES territories(code),
    building         TEXT NOT NULL,
    stairwell        TEXT NOT NULL,
    unit             TEXT NOT NULL,
    owner_name       TEXT NOT NULL,
    phone            TEXT,
    -- Who counts as one head: "tel:+86…", "name:…", or "developer" for all unsold units.
    owner_key        TEXT NOT NULL,
    area_centi       BIGINT NOT NULL CHECK (area_centi > 0),
    developer_unsold BIGINT NOT NULL CHECK (developer_unsold IN (0, 1)),
    imported_at      BIGINT NOT NULL,
    UNIQUE (community_code, building, stairwell, unit)
);
-- Owners are found by their sign-in phone within a community.
CREATE INDEX roster_units_phone ON roster_units (phone, community_code);
CREATE INDEX roster_units_owner ON roster_units (community_code, owner_key);

CREATE TABLE consultations (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_code  TEXT NOT NULL REFERENCES territories(code),
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    matter_code     TEXT NOT NULL REFERENCES matter_rules(code),
    scope_kind      TEXT NOT NULL CHECK (scope_kind IN ('community', 'buildings', 'stairwell')),
    -- Buildings, one per line, for scope 'buildings'; building and stairwell for 'stairwell'.
    scope_buildings TEXT NOT NULL DEFAULT '',
    scope_building  TEXT NOT NULL DEFAULT '',
    scope_stairwell TEXT NOT NULL DEFAULT '',
    question_kind   TEXT NOT NULL CHECK (question_kind IN ('yesno', 'options')),
    -- Whether how people vote is shown during the vote (the council's choice; default secret).
    open_voting     BIGINT NOT NULL DEFAULT 0 CHECK (open_voting IN (0, 1)),
    comment_from    BIGINT NOT NULL,
    vote_from       BIGINT NOT NULL,
    vote_until      BIGINT NOT NULL,
    published_at    BIGINT,
    followup_at     BIGINT,
    -- The tally frozen at publication (JSON); it never changes afterwards.
    result_json     TEXT,
    -- Bumped in every ballot's transaction: the order in which ballots were cast or changed.
    ballot_version  BIGINT NOT NULL DEFAULT 0,
    created_by      BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    CHECK (comment_from <= vote_from AND vote_from < vote_until)
);
CREATE INDEX consultations_community ON consultations (community_code, vote_until);

CREATE TABLE consultation_options (
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    position        BIGINT NOT NULL,
    label           TEXT NOT NULL,
    PRIMARY KEY (consultation_id, position)
);

-- Phase changes made by the council (dated phases change by themselves and need no row).
CREATE TABLE consultation_log (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    phase           TEXT NOT NULL,
    at              BIGINT NOT NULL,
    actor_user_id   BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX consultation_log_consultation ON consultation_log (consultation_id, at);

-- One ballot per owner per consultation, whatever the channel: the primary key is the rule.
CREATE TABLE ballots (
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    owner_key       TEXT NOT NULL,
    choice          BIGINT NOT NULL CHECK (choice >= -1),
    channel         TEXT NOT NULL CHECK (channel IN ('web', 'paper')),
    paper_ref       TEXT,
    cast_by         BIGINT REFERENCES users(id) ON DELETE SET NULL,
    cast_at         BIGINT NOT NULL,
    changed_at      BIGINT NOT NULL,
    PRIMARY KEY (consultation_id, owner_key),
    CHECK ((channel = 'paper') = (paper_ref IS NOT NULL))
);

-- Every ballot cast or changed, by whom and through which channel.
CREATE TABLE ballot_audit (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    owner_key       TEXT NOT NULL,
    choice          BIGINT NOT NULL,
    channel         TEXT NOT NULL,
    paper_ref       TEXT,
    event           TEXT NOT NULL CHECK (event IN ('cast', 'changed')),
    -- The consultation's ballot_version this change produced (0 for seeded demo ballots).
    version         BIGINT NOT NULL DEFAULT 0,
    actor_user_id   BIGINT REFERENCES users(id) ON DELETE SET NULL,
    at              BIGINT NOT NULL
);
CREATE INDEX ballot_audit_consultation ON ballot_audit (consultation_id, version);

CREATE TABLE consultation_comments (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    -- Replies are one level deep: a reply's parent has no parent.
    parent_id       BIGINT REFERENCES consultation_comments(id) ON DELETE CASCADE,
    user_id         BIGINT REFERENCES users(id) ON DELETE SET NULL,
    stance          TEXT NOT NULL CHECK (stance IN ('support', 'oppose', 'neutral')),
    body            TEXT NOT NULL,
    official        BIGINT NOT NULL DEFAULT 0 CHECK (official IN (0, 1)),
    -- Hidden by reports, waiting for the council; 'removed' after the council's review.
    status          TEXT NOT NULL DEFAULT 'shown' CHECK (status IN ('shown', 'held', 'removed')),
    reviewed        BIGINT NOT NULL DEFAULT 0 CHECK (reviewed IN (0, 1)),
    created_at      BIGINT NOT NULL
);
CREATE INDEX consultation_comments_consultation ON consultation_comments (consultation_id, created_at);

CREATE TABLE comment_reports (
    comment_id BIGINT NOT NULL REFERENCES consultation_comments(id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at         BIGINT NOT NULL,
    PRIMARY KEY (comment_id, user_id)
);

-- 实施跟进: progress after the result.
CREATE TABLE consultation_updates (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    body            TEXT NOT NULL,
    at              BIGINT NOT NULL,
    actor_user_id   BIGINT REFERENCES users(id) ON DELETE SET NULL
);

-- Plans, cost estimates and progress photos: re-encoded images (no EXIF). A photo belongs to the
-- consultation itself (update_id NULL) or to one progress update.
CREATE TABLE consultation_photos (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    update_id       BIGINT REFERENCES consultation_updates(id) ON DELETE CASCADE,
    position        BIGINT NOT NULL,
    full_key        TEXT NOT NULL UNIQUE,
    thumb_key       TEXT NOT NULL UNIQUE,
    width           BIGINT NOT NULL,
    height          BIGINT NOT NULL
);
CREATE INDEX consultation_photos_consultation ON consultation_photos (consultation_id, update_id, position);
