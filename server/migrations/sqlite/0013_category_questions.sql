-- Extra questions a category asks (Open311 attribute definitions), and the answers a case came
-- with. Choices are "key=名称;key2=名称2" for the list types.
CREATE TABLE category_questions (
    category_code TEXT NOT NULL REFERENCES categories(code),
    code          TEXT NOT NULL,
    datatype      TEXT NOT NULL
                  CHECK (datatype IN ('string', 'number', 'text', 'singlevaluelist', 'multivaluelist')),
    required      INTEGER NOT NULL CHECK (required IN (0, 1)),
    prompt_zh     TEXT NOT NULL,
    prompt_en     TEXT NOT NULL,
    choices       TEXT NOT NULL DEFAULT '',
    position      INTEGER NOT NULL,
    PRIMARY KEY (category_code, code)
);

CREATE TABLE case_answers (
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    code    TEXT NOT NULL,
    answer  TEXT NOT NULL,
    PRIMARY KEY (case_id, code)
);
