-- Catalogue apps a patient connects with OAuth 2.0 authorization code and PKCE (issue 19).

-- Where an app may send a patient back with a code: exact URIs, registered by an admin.
ALTER TABLE integrator ADD COLUMN redirect_uris text[] NOT NULL DEFAULT '{}';

-- A patient's standing consent to an app: what it may read or write (SMART-style scopes), until revoked.
CREATE TABLE app_consent (
    id             uuid        PRIMARY KEY,
    patient_id     uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    integrator_id  uuid        NOT NULL REFERENCES integrator (id) ON DELETE CASCADE,
    scopes         text[]      NOT NULL,
    granted_at     timestamptz NOT NULL,
    UNIQUE (patient_id, integrator_id)
);
CREATE INDEX app_consent_integrator ON app_consent (integrator_id);

-- A code handed to the app's redirect URI, traded once for tokens with the PKCE verifier (S256 challenge kept).
CREATE TABLE app_authorization_code (
    code_hash       bytea       PRIMARY KEY,
    consent_id      uuid        NOT NULL REFERENCES app_consent (id) ON DELETE CASCADE,
    redirect_uri    text        NOT NULL,
    code_challenge  text        NOT NULL,
    scopes          text[]      NOT NULL,
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz
);
CREATE INDEX app_authorization_code_consent ON app_authorization_code (consent_id);

-- An app's session belongs to the consent it was opened under, and goes (with its refresh tokens) with it.
ALTER TABLE session ADD COLUMN consent_id uuid REFERENCES app_consent (id) ON DELETE CASCADE;
CREATE INDEX session_consent ON session (consent_id) WHERE consent_id IS NOT NULL;
