-- A professional lets their software act on their behalf (issue 19): revocable, one row per system.
CREATE TABLE delegation (
    professional_id uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    integrator_id   uuid        NOT NULL REFERENCES integrator (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (professional_id, integrator_id)
);
CREATE INDEX delegation_integrator ON delegation (integrator_id);

-- The system that sent a message on its author's behalf (its name as it was then), if one did.
ALTER TABLE message
    ADD COLUMN via_integrator_id uuid REFERENCES integrator (id) ON DELETE SET NULL,
    ADD COLUMN via_name          text;

-- The conversations a system takes part in, on behalf of which professional: it hears of their messages.
CREATE TABLE conversation_system (
    conversation_id uuid NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
    integrator_id   uuid NOT NULL REFERENCES integrator (id) ON DELETE CASCADE,
    professional_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    PRIMARY KEY (conversation_id, integrator_id, professional_id)
);
