-- Keys for other systems (a 12345 hotline, a vendor's 数字城管 platform) that file reports through
-- Open311. Each belongs to an organisation; only the key's hash is kept, and its first characters
-- so people can tell keys apart. Issuing and revoking are audited.
CREATE TABLE api_keys (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation TEXT NOT NULL,
    key_prefix   TEXT NOT NULL,
    key_hash     TEXT NOT NULL UNIQUE,
    created_by   BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at   BIGINT NOT NULL,
    revoked_at   BIGINT,
    revoked_by   BIGINT REFERENCES users(id) ON DELETE SET NULL,
    is_demo      BIGINT NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1))
);
-- The key a case came in with (source 'open311').
ALTER TABLE cases ADD COLUMN api_key_id BIGINT REFERENCES api_keys(id);
