-- One-time login codes: only a salted hash is kept. Rows also serve as the send history that the
-- per-phone and per-address limits count.
CREATE TABLE login_codes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    phone       TEXT NOT NULL,
    code_hash   TEXT NOT NULL,
    salt        TEXT NOT NULL,
    client_ip   TEXT NOT NULL,
    sent_at     INTEGER NOT NULL,
    wrong_tries INTEGER NOT NULL DEFAULT 0 CHECK (wrong_tries >= 0),
    used_at     INTEGER
);
CREATE INDEX login_codes_phone ON login_codes (phone, sent_at);
CREATE INDEX login_codes_ip ON login_codes (client_ip, sent_at);

-- Server-side sessions, shared by every app server. The cookie carries a random token; only its
-- SHA-256 is stored, so a copy of the database does not hold live sessions. A session without a
-- user is a signed-out visitor's, there to carry a CSRF token.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER REFERENCES users(id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    -- A sign-in in progress: the number a code was sent to (and, in demo mode only, the code).
    pending_phone     TEXT,
    pending_demo_code TEXT,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
