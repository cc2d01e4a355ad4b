-- The city workflow: the full workflow state beside the public stage, deadlines, counts, the
-- timeline's public replies and internal notes, result photos, and the working-day calendar.
ALTER TABLE cases ADD COLUMN state TEXT NOT NULL DEFAULT 'reported' CHECK (state IN (
    'reported', 'registered', 'rejected', 'dispatched', 'handled', 'closed', 'merged', 'on_hold'));
UPDATE cases SET state = CASE stage WHEN 'verified' THEN 'closed' ELSE stage END;
ALTER TABLE cases ADD COLUMN dispatched_at BIGINT;
-- A department's extension request waiting for the operator: the deadline it asks for.
ALTER TABLE cases ADD COLUMN extension_requested_until BIGINT;
ALTER TABLE cases ADD COLUMN rated BIGINT NOT NULL DEFAULT 0 CHECK (rated IN (0, 1));
ALTER TABLE cases ADD COLUMN reopened BIGINT NOT NULL DEFAULT 0 CHECK (reopened IN (0, 1));
ALTER TABLE cases ADD COLUMN merged_into_id BIGINT REFERENCES cases(id);
-- 挂账: when the long-term case is looked at again.
ALTER TABLE cases ADD COLUMN review_at BIGINT;
-- Bumped by every workflow action, so two staff acting at once cannot both win.
ALTER TABLE cases ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX cases_queue ON cases (state, district_code, created_at);
CREATE INDEX cases_department_queue ON cases (department_code, state, deadline_at);

ALTER TABLE case_events ADD COLUMN action TEXT;
-- What the reporter and the public read.
ALTER TABLE case_events ADD COLUMN public_text TEXT;
-- Staff only.
ALTER TABLE case_events ADD COLUMN internal_note TEXT;
ALTER TABLE case_events ADD COLUMN department_code TEXT REFERENCES departments(code);
-- The deadline this event set (dispatch, granted extension, resume).
ALTER TABLE case_events ADD COLUMN deadline_at BIGINT;
ALTER TABLE case_events ADD COLUMN actor_role TEXT;
CREATE INDEX case_events_action ON case_events (action, at);

-- Photos staff attach to an event (a department's result, an inspector's check). Re-encoded.
CREATE TABLE case_event_photos (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id  BIGINT NOT NULL REFERENCES case_events(id) ON DELETE CASCADE,
    position  BIGINT NOT NULL,
    full_key  TEXT NOT NULL UNIQUE,
    thumb_key TEXT NOT NULL UNIQUE,
    width     BIGINT NOT NULL,
    height    BIGINT NOT NULL,
    UNIQUE (event_id, position)
);

-- One rule file per year (holidays and 调休 working days), as uploaded.
CREATE TABLE work_calendars (
    year        BIGINT PRIMARY KEY,
    rules       TEXT NOT NULL,
    uploaded_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    uploaded_at BIGINT NOT NULL
);
