-- When each part of a ticker was last fetched, so a rerun on the same day skips what is fresh.
ALTER TABLE company ADD COLUMN profile_fetched_at timestamptz, ADD COLUMN quotes_fetched_at timestamptz;
ALTER TABLE fundamentals ADD COLUMN fetched_at timestamptz;
ALTER TABLE fetch_run ADD COLUMN up_to_date integer NOT NULL DEFAULT 0;
