-- 知晓率: the council's monthly awareness survey of a community (households asked, households who
-- answered correctly). Recording a month again replaces it.
CREATE TABLE surveys (
    community_code TEXT NOT NULL REFERENCES territories(code),
    month          TEXT NOT NULL,
    asked          BIGINT NOT NULL CHECK (asked > 0),
    correct        BIGINT NOT NULL CHECK (correct >= 0 AND correct <= asked),
    recorded_by    BIGINT REFERENCES users(id) ON DELETE SET NULL,
    recorded_at    BIGINT NOT NULL,
    PRIMARY KEY (community_code, month)
);
