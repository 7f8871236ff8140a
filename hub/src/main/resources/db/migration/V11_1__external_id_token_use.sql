-- External ID tokens (OpenID Connect) already used to log in, kept until they expire, so that the same token is
-- refused a second time on any node. A token is known by a hash of its issuer and jti, or of the whole token when it
-- carries no jti.
CREATE TABLE external_token_use (
    token_hash  bytea       PRIMARY KEY,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX external_token_use_expires_at ON external_token_use (expires_at);
