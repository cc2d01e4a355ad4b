-- Cases reported by residents. Coordinates are WGS-84. The reporter's contact details live only in
-- this table and never leave it through public views.
CREATE TABLE tracking_serials (
    year        BIGINT PRIMARY KEY,
    last_serial BIGINT NOT NULL CHECK (last_serial >= 0)
);

CREATE TABLE cases (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tracking_code      TEXT NOT NULL UNIQUE,
    category_code      TEXT NOT NULL REFERENCES categories(code),
    description        TEXT NOT NULL,
    -- An operator's edit of the public text; the original stays in `description`.
    public_description TEXT,
    lat                DOUBLE PRECISION NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lng                DOUBLE PRECISION NOT NULL CHECK (lng BETWEEN -180 AND 180),
    location_source    TEXT NOT NULL CHECK (location_source IN ('map', 'device', 'photo', 'list')),
    address            TEXT,
    grid_code          TEXT NOT NULL REFERENCES territories(code),
    community_code     TEXT NOT NULL REFERENCES territories(code),
    street_code        TEXT NOT NULL REFERENCES territories(code),
    district_code      TEXT NOT NULL REFERENCES territories(code),
    reporter_user_id   BIGINT REFERENCES users(id) ON DELETE SET NULL,
    anonymous          BIGINT NOT NULL CHECK (anonymous IN (0, 1)),
    contact_phone      TEXT,
    follow_token_hash  TEXT NOT NULL UNIQUE,
    stage              TEXT NOT NULL CHECK (stage IN (
                           'reported', 'registered', 'dispatched', 'handled', 'verified', 'closed')),
    department_code    TEXT NOT NULL REFERENCES departments(code),
    deadline_at        BIGINT,
    me_too_count       BIGINT NOT NULL DEFAULT 0 CHECK (me_too_count >= 0),
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX cases_nearby ON cases (category_code, lat, lng);
-- The case map: a box, the open/closed filter and the category, read from the index alone.
CREATE INDEX cases_map ON cases (lat, lng, stage, category_code, tracking_code);
CREATE INDEX cases_reporter ON cases (reporter_user_id);

-- The stage timeline shown on the case page.
CREATE TABLE case_events (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id       BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    stage         TEXT NOT NULL,
    at            BIGINT NOT NULL,
    actor_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX case_events_case ON case_events (case_id, at);

-- Re-encoded photos (no EXIF). Keys name objects in the media store.
CREATE TABLE case_photos (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id   BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    position  BIGINT NOT NULL,
    full_key  TEXT NOT NULL UNIQUE,
    thumb_key TEXT NOT NULL UNIQUE,
    width     BIGINT NOT NULL,
    height    BIGINT NOT NULL,
    hidden    BIGINT NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    UNIQUE (case_id, position)
);

-- Signed-in residents following a case (reporters and "me too" neighbours).
CREATE TABLE case_followers (
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    since   BIGINT NOT NULL,
    PRIMARY KEY (case_id, user_id)
);

-- The reporter's follow-ups (text and an optional re-encoded photo), shown on the case page.
CREATE TABLE case_comments (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id   BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    body      TEXT NOT NULL,
    full_key  TEXT UNIQUE,
    thumb_key TEXT UNIQUE,
    hidden    BIGINT NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    created_at BIGINT NOT NULL
);
CREATE INDEX case_comments_case ON case_comments (case_id, created_at);

-- Signed-in residents following a street or community: its new cases reach them.
CREATE TABLE area_followers (
    user_id        BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    territory_code TEXT NOT NULL REFERENCES territories(code),
    since          BIGINT NOT NULL,
    PRIMARY KEY (user_id, territory_code)
);

-- "我也遇到": one row per neighbour (a user id, or a signed-out visitor's session) per case.
CREATE TABLE case_supporters (
    case_id   BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    supporter TEXT NOT NULL,
    since     BIGINT NOT NULL,
    PRIMARY KEY (case_id, supporter)
);

-- Events counted by rate limits (report submissions, tracking lookups), shared by all app servers.
CREATE TABLE rate_events (
    bucket  TEXT NOT NULL,
    subject TEXT NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX rate_events_lookup ON rate_events (bucket, subject, at);
