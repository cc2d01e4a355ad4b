-- Public positions: the exact point stays for staff; every public filter, distance and cluster reads
-- the position snapped to the 0.001° grid (domain::geo::public_coordinate), so narrowing boxes around
-- one case cannot pin it closer than the grid.
ALTER TABLE cases ADD COLUMN public_lat REAL NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN public_lng REAL NOT NULL DEFAULT 0;
UPDATE cases SET public_lat = ROUND(lat, 3), public_lng = ROUND(lng, 3);
DROP INDEX cases_map;
CREATE INDEX cases_map ON cases (public_lat, public_lng, stage, category_code, tracking_code);
CREATE INDEX cases_public_nearby ON cases (category_code, public_lat, public_lng);

-- Moderation reaches a volunteer's issue photos too: the council hides them like a report's
-- (hidden media answer 404 to the public, and a case handed over does not copy them).
ALTER TABLE shift_issue_photos ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1));

-- Open-data exports page through cases by (created_at, id).
CREATE INDEX cases_created ON cases (created_at, id);
