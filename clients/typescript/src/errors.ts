/**
 * A failure with a stable `code`: the hub's (`idempotency_key_reused`, `insufficient_scope`, `unknown_operation`…, see
 * docs/API.md) or the client's own: `not_connected` (no connection came within the command timeout), `timeout` (sent,
 * no answer in time), `disconnected` (the connection dropped while a command without an idempotency key was in
 * flight: it may or may not have run), `closed`, `signed_out`, `revoked` (the client stopped).
 */
export class RelaisError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'RelaisError';
  }
}
