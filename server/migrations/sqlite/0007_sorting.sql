-- "Which bin?" searches that found nothing, so the council can add the items people ask about.
CREATE TABLE unknown_items (
    query      TEXT PRIMARY KEY,
    asked      INTEGER NOT NULL CHECK (asked > 0),
    first_at   INTEGER NOT NULL,
    last_at    INTEGER NOT NULL
);
CREATE INDEX unknown_items_asked ON unknown_items (asked);
