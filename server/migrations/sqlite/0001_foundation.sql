-- Territory tree, departments, categories, people and roles. Times are Unix milliseconds (UTC).
CREATE TABLE territories (
    code        TEXT PRIMARY KEY,
    parent_code TEXT REFERENCES territories(code),
    level       TEXT NOT NULL CHECK (level IN ('district', 'street', 'community', 'grid')),
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    -- GeoJSON Polygon coordinates, WGS-84, [[[lng, lat], ...]]; the outer ring first.
    boundary    TEXT NOT NULL,
    min_lat     REAL NOT NULL,
    min_lng     REAL NOT NULL,
    max_lat     REAL NOT NULL,
    max_lng     REAL NOT NULL,
    is_demo     INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    CHECK ((level = 'district') = (parent_code IS NULL))
);
CREATE INDEX territories_parent ON territories (parent_code);
CREATE INDEX territories_level ON territories (level);

CREATE TABLE departments (
    code    TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE categories (
    code              TEXT PRIMARY KEY,
    parent_code       TEXT REFERENCES categories(code),
    kind              TEXT NOT NULL CHECK (kind IN ('component', 'event')),
    name_zh           TEXT NOT NULL,
    name_en           TEXT NOT NULL,
    department_code   TEXT REFERENCES departments(code),
    time_limit_amount INTEGER CHECK (time_limit_amount > 0),
    time_limit_unit   TEXT CHECK (time_limit_unit IN ('h', 'wd', 'd')),
    sort_order        INTEGER NOT NULL,
    -- Only sub-categories (with a parent) carry a department and a time limit.
    CHECK ((parent_code IS NULL) = (department_code IS NULL)),
    CHECK ((parent_code IS NULL) = (time_limit_amount IS NULL)),
    CHECK ((parent_code IS NULL) = (time_limit_unit IS NULL))
);
CREATE INDEX categories_parent ON categories (parent_code);

CREATE TABLE users (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    phone        TEXT UNIQUE,
    display_name TEXT,
    created_at   INTEGER NOT NULL,
    deleted_at   INTEGER
);

CREATE TABLE role_grants (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN (
                        'resident', 'owner', 'volunteer', 'council', 'operator', 'department',
                        'inspector', 'chief1', 'chief2', 'chief3', 'admin')),
    territory_code  TEXT REFERENCES territories(code),
    department_code TEXT REFERENCES departments(code),
    granted_by      INTEGER REFERENCES users(id),
    granted_at      INTEGER NOT NULL,
    revoked_at      INTEGER
);
CREATE INDEX role_grants_user ON role_grants (user_id);
