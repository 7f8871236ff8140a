-- Issue 19: every integrator belongs to an organisation (a hospital, a laboratory, a practice software vendor or
-- the publisher of a catalogue app), with its FINESS or SIRET number where it has one. A patient blocks an
-- organisation (all its systems) or one of its systems, as they block a professional.
CREATE TABLE organisation (
    id          uuid        PRIMARY KEY,
    kind        text        NOT NULL CHECK (kind IN ('hospital', 'laboratory', 'software_vendor', 'catalogue_app')),
    name        text        NOT NULL,
    finess      text        UNIQUE,
    siret       text        UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- integrators registered before organisations existed each become an organisation of their own name
INSERT INTO organisation (id, kind, name, created_at) SELECT id, 'software_vendor', name, created_at FROM integrator;
ALTER TABLE integrator ADD COLUMN organisation_id uuid REFERENCES organisation (id);
UPDATE integrator SET organisation_id = id;
ALTER TABLE integrator ALTER COLUMN organisation_id SET NOT NULL;
CREATE INDEX integrator_organisation ON integrator (organisation_id);

-- integrator_id null: the whole organisation is blocked
CREATE TABLE system_block (
    id               uuid        PRIMARY KEY,
    patient_id       uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    organisation_id  uuid        NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    integrator_id    uuid        REFERENCES integrator (id) ON DELETE CASCADE,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX system_block_organisation ON system_block (patient_id, organisation_id) WHERE integrator_id IS NULL;
CREATE UNIQUE INDEX system_block_integrator ON system_block (patient_id, integrator_id) WHERE integrator_id IS NOT NULL;

-- a document deposited by a system names the organisation it acts for (the author) and the system (via), and
-- remembers when its patient first opened it, which its depositor is told once
ALTER TABLE document ADD COLUMN organisation_id uuid REFERENCES organisation (id) ON DELETE SET NULL,
                     ADD COLUMN via_name text,
                     ADD COLUMN opened_at timestamptz;
UPDATE document d SET organisation_id = i.organisation_id, via_name = i.name
FROM integrator i WHERE d.author_kind = 'integrator' AND i.id = d.author_id;
CREATE INDEX document_integrator_author ON document (author_id) WHERE author_kind = 'integrator';

-- Who was told about whom: an event that names a person (patientId) in another person's stream is remembered
-- here as it is written, so that closing that person's space finds every stream to take them out of.
CREATE TABLE stream_mention (
    person_id     uuid NOT NULL,
    recipient_id  uuid NOT NULL,
    PRIMARY KEY (person_id, recipient_id)
);
CREATE INDEX stream_mention_recipient ON stream_mention (recipient_id);
INSERT INTO stream_mention (person_id, recipient_id)
SELECT DISTINCT (data->>'patientId')::uuid, recipient_id FROM (
    SELECT data, recipient_id FROM stream_event UNION ALL SELECT data, recipient_id FROM stream_outbox) AS events
WHERE data->>'patientId' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
  AND data->>'patientId' <> recipient_id::text
ON CONFLICT DO NOTHING;
