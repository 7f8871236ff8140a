-- Appointments: instants in UTC, entered and shown in Europe/Paris. Title and place are sealed.
CREATE TABLE appointment (
    id               uuid        PRIMARY KEY,
    patient_id       uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    professional_id  uuid        REFERENCES account (id) ON DELETE SET NULL,   -- NULL: the patient's own entry
    created_by       uuid        NOT NULL,
    details_sealed   bytea       NOT NULL,                                     -- {title, place}
    key_id           text        NOT NULL,
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL,
    status           text        NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'moved', 'cancelled')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX appointment_patient ON appointment (patient_id, starts_at);
CREATE INDEX appointment_professional ON appointment (professional_id, starts_at) WHERE professional_id IS NOT NULL;

-- The reminder scheduler's jobs. occurrence_key makes each reminder occurrence unique: it is created once and,
-- since firing it and appending its event commit together, fired once, whatever the nodes and restarts.
CREATE TABLE reminder_job (
    id              uuid        PRIMARY KEY,
    occurrence_key  text        NOT NULL UNIQUE,
    kind            text        NOT NULL CHECK (kind IN ('appointment', 'vaccination', 'screening', 'treatment')),
    patient_id      uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    source_id       uuid,                                   -- the appointment or profile entry it comes from
    due_at          timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    payload         jsonb       NOT NULL,                   -- ids and codes only, never health text
    status          text        NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'claimed', 'fired', 'cancelled', 'skipped', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    lease_until     timestamptz,
    claimed_by      text,
    last_error      text,
    fired_at        timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reminder_job_due ON reminder_job (next_attempt_at) WHERE status IN ('pending', 'claimed');
CREATE INDEX reminder_job_source ON reminder_job (source_id) WHERE status = 'pending';

-- Secret calendar links (iCalendar export), stored as hashes; revocable.
CREATE TABLE calendar_link (
    token_hash  bytea       PRIMARY KEY,
    account_id  uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX calendar_link_account ON calendar_link (account_id);
