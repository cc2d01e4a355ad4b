-- 督导员 supervision: which volunteers stand at which points, their shift logs (households that came,
-- correct and incorrect drops per bin), and the issues they noted, with photos.
CREATE TABLE point_volunteers (
    point_id    BIGINT NOT NULL REFERENCES collection_points(id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    assigned_at BIGINT NOT NULL,
    PRIMARY KEY (point_id, user_id)
);

CREATE TABLE shifts (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    point_id       BIGINT NOT NULL REFERENCES collection_points(id) ON DELETE CASCADE,
    volunteer_id   BIGINT REFERENCES users(id) ON DELETE SET NULL,
    -- Days since 1970-01-01 in China time; minutes since midnight.
    day            BIGINT NOT NULL,
    start_minute   BIGINT NOT NULL CHECK (start_minute BETWEEN 0 AND 1440),
    end_minute     BIGINT NOT NULL CHECK (end_minute BETWEEN 0 AND 1440),
    households     BIGINT NOT NULL CHECK (households >= 0),
    recyclable_ok  BIGINT NOT NULL CHECK (recyclable_ok >= 0),
    recyclable_bad BIGINT NOT NULL CHECK (recyclable_bad >= 0),
    hazardous_ok   BIGINT NOT NULL CHECK (hazardous_ok >= 0),
    hazardous_bad  BIGINT NOT NULL CHECK (hazardous_bad >= 0),
    kitchen_ok     BIGINT NOT NULL CHECK (kitchen_ok >= 0),
    kitchen_bad    BIGINT NOT NULL CHECK (kitchen_bad >= 0),
    other_ok       BIGINT NOT NULL CHECK (other_ok >= 0),
    other_bad      BIGINT NOT NULL CHECK (other_bad >= 0),
    -- Why a shift lies outside the point's windows.
    reason         TEXT,
    created_at     BIGINT NOT NULL,
    CHECK (start_minute < end_minute)
);
CREATE INDEX shifts_point_day ON shifts (point_id, day);
CREATE INDEX shifts_volunteer_day ON shifts (volunteer_id, day);

CREATE TABLE shift_issues (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shift_id BIGINT NOT NULL REFERENCES shifts(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('overflowing', 'mixed', 'bin_missing', 'other')),
    note     TEXT NOT NULL DEFAULT '',
    fixed_at BIGINT
);

CREATE TABLE shift_issue_photos (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    issue_id  BIGINT NOT NULL REFERENCES shift_issues(id) ON DELETE CASCADE,
    position  BIGINT NOT NULL,
    full_key  TEXT NOT NULL UNIQUE,
    thumb_key TEXT NOT NULL UNIQUE,
    width     BIGINT NOT NULL,
    height    BIGINT NOT NULL,
    UNIQUE (issue_id, position)
);
