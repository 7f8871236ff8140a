-- What each idempotency key was first used for: an HMAC of the caller, the operation and the canonical request
-- body (command.RequestFingerprints). The same key sent again with another body is refused with 409
-- idempotency_key_reused, on REST (message, document) as on the socket (idempotency_key). Rows written before
-- have none and are answered as they were.
ALTER TABLE idempotency_key ADD COLUMN request_hmac bytea;
ALTER TABLE message ADD COLUMN request_hmac bytea;
ALTER TABLE document ADD COLUMN request_hmac bytea;
