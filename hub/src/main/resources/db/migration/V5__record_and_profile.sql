-- The record: documents deposited for a patient. Titles and contents are sealed (AES-256-GCM).
CREATE TABLE document (
    id               uuid        PRIMARY KEY,
    patient_id       uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    kind             text        NOT NULL,
    title_sealed     bytea       NOT NULL,
    care_date        date        NOT NULL,
    author_id        uuid        NOT NULL,
    author_kind      text        NOT NULL,
    author_name      text        NOT NULL,
    format           text        NOT NULL,
    size             integer     NOT NULL,
    sha256           bytea       NOT NULL,
    key_id           text        NOT NULL,
    hidden           boolean     NOT NULL DEFAULT false,
    replaces_id      uuid        REFERENCES document (id) ON DELETE SET NULL,
    superseded       boolean     NOT NULL DEFAULT false,
    idempotency_key  text,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX document_patient ON document (patient_id, care_date DESC, id DESC) WHERE NOT superseded;
CREATE UNIQUE INDEX document_idempotency ON document (author_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Document contents, behind the storage interface (an object store can replace this table).
CREATE TABLE document_content (
    document_id     uuid  PRIMARY KEY REFERENCES document (id) ON DELETE CASCADE,
    content_sealed  bytea NOT NULL
);

-- The medical profile: one row per entry, its data sealed, every change kept as a version.
CREATE TABLE profile_entry (
    id           uuid        PRIMARY KEY,
    patient_id   uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    section      text        NOT NULL CHECK (section IN ('allergies', 'conditions', 'treatments', 'vaccinations', 'measurements')),
    version      integer     NOT NULL,
    data_sealed  bytea       NOT NULL,
    key_id       text        NOT NULL,
    deleted      boolean     NOT NULL DEFAULT false,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX profile_entry_patient ON profile_entry (patient_id, section) WHERE NOT deleted;

CREATE TABLE profile_entry_version (
    entry_id     uuid        NOT NULL REFERENCES profile_entry (id) ON DELETE CASCADE,
    version      integer     NOT NULL,
    change       text        NOT NULL CHECK (change IN ('created', 'updated', 'deleted')),
    data_sealed  bytea       NOT NULL,
    key_id       text        NOT NULL,
    changed_by   uuid        NOT NULL,
    changed_by_kind text     NOT NULL,
    changed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (entry_id, version)
);
