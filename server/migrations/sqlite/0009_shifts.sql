-- 督导员 supervision: which volunteers stand at which points, their shift logs (households that came,
-- correct and incorrect drops per bin), and the issues they noted, with photos.
CREATE TABLE point_volunteers (
    point_id    INTEGER NOT NULL REFERENCES collection_points(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    assigned_at INTEGER NOT NULL,
    PRIMARY KEY (point_id, user_id)
);

CREATE TABLE shifts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    point_id       INTEGER NOT NULL REFERENCES collection_points(id) ON DELETE CASCADE,
    volunteer_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    -- Days since 1970-01-01 in China time; minutes since midnight.
    day            INTEGER NOT NULL,
    start_minute   INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1440),
    end_minute     INTEGER NOT NULL CHECK (end_minute BETWEEN 0 AND 1440),
    households     INTEGER NOT NULL CHECK (households >= 0),
    recyclable_ok  INTEGER NOT NULL CHECK (recyclable_ok >= 0),
    recyclable_bad INTEGER NOT NULL CHECK (recyclable_bad >= 0),
    hazardous_ok   INTEGER NOT NULL CHECK (hazardous_ok >= 0),
    hazardous_bad  INTEGER NOT NULL CHECK (hazardous_bad >= 0),
    kitchen_ok     INTEGER NOT NULL CHECK (kitchen_ok >= 0),
    kitchen_bad    INTEGER NOT NULL CHECK (kitchen_bad >= 0),
    other_ok       INTEGER NOT NULL CHECK (other_ok >= 0),
    other_bad      INTEGER NOT NULL CHECK (other_bad >= 0),
    -- Why a shift lies outside the point's windows.
    reason         TEXT,
    created_at     INTEGER NOT NULL,
    CHECK (start_minute < end_minute)
);
CREATE INDEX shifts_point_day ON shifts (point_id, day);
CREATE INDEX shifts_volunteer_day ON shifts (volunteer_id, day);

CREATE TABLE shift_issues (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    shift_id INTEGER NOT NULL REFERENCES shifts(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('overflowing', 'mixed', 'bin_missing', 'other')),
    note     TEXT NOT NULL DEFAULT '',
    fixed_at INTEGER
);

CREATE TABLE shift_issue_photos (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    issue_id  INTEGER NOT NULL REFERENCES shift_issues(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    full_key  TEXT NOT NULL UNIQUE,
    thumb_key TEXT NOT NULL UNIQUE,
    width     INTEGER NOT NULL,
    height    INTEGER NOT NULL,
    UNIQUE (issue_id, position)
);
