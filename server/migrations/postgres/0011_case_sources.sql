-- Where a case came from: the portal's report form, a volunteer's shift issue handed over by the
-- council, or another system through Open311. Older rows came from the form.
ALTER TABLE cases ADD COLUMN source TEXT NOT NULL DEFAULT 'web'
    CHECK (source IN ('web', 'shift', 'open311'));
-- The case a shift issue was handed over as (one at most).
ALTER TABLE shift_issues ADD COLUMN case_code TEXT;
CREATE UNIQUE INDEX shift_issues_case ON shift_issues (case_code);
