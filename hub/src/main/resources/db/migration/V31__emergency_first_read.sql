-- When a professional first read the record under an emergency access: the patient is told of that first read,
-- not of each of the reads that follow under the same access (they are all in the access history).
ALTER TABLE emergency_access ADD COLUMN first_read_at timestamptz;
