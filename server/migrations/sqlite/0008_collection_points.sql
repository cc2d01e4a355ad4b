-- 定时定点 collection points: where a community's households drop their sorted waste, which bins
-- stand there (GB/T 19095-2019 categories) and the daily drop-off windows.
CREATE TABLE collection_points (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    community_code TEXT NOT NULL REFERENCES territories(code),
    name           TEXT NOT NULL,
    lat            REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lng            REAL NOT NULL CHECK (lng BETWEEN -180 AND 180),
    households     INTEGER NOT NULL CHECK (households > 0),
    -- Bin codes present, comma-separated: recyclable, hazardous, kitchen, other.
    bins           TEXT NOT NULL,
    -- Drop-off windows, e.g. "07:00-09:00,18:00-20:00" (China time).
    windows        TEXT NOT NULL,
    is_demo        INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    UNIQUE (community_code, name)
);
