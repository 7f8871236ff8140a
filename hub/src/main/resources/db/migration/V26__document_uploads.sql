-- A document's content sent ahead of its deposit (larger than a socket frame), sealed, kept an hour at most; the
-- deposit that names it takes it (issue 19).
CREATE TABLE document_upload (
    id              uuid        PRIMARY KEY,
    account_id      uuid        REFERENCES account (id) ON DELETE CASCADE,
    integrator_id   uuid        REFERENCES integrator (id) ON DELETE CASCADE,
    format          text        NOT NULL,
    size            integer     NOT NULL,
    content_sealed  bytea       NOT NULL,
    key_id          text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    CHECK ((account_id IS NULL) <> (integrator_id IS NULL))
);
CREATE INDEX document_upload_expiry ON document_upload (expires_at);
