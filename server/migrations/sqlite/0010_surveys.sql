-- 知晓率: the council's monthly awareness survey of a community (households asked, households who
-- answered correctly). Recording a month again replaces it.
CREATE TABLE surveys (
    community_code TEXT NOT NULL REFERENCES territories(code),
    month          TEXT NOT NULL,
    asked          INTEGER NOT NULL CHECK (asked > 0),
    correct        INTEGER NOT NULL CHECK (correct >= 0 AND correct <= asked),
    recorded_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    recorded_at    INTEGER NOT NULL,
    PRIMARY KEY (community_code, month)
);
