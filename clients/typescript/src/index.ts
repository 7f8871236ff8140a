export { RelaisClient } from './client.js';
export type { ClientStatus, HistoryLossCause, HistoryLost, RelaisClientOptions, StopReason } from './client.js';
export { comesAfter, MemoryCursorStore, WebStorageCursorStore } from './cursor.js';
export type { Cursor, CursorStore, KeyValueStorage } from './cursor.js';
export { RelaisError } from './errors.js';
export type { RelaisEvent, Subscribed, WebSocketConstructor, WebSocketLike } from './protocol.js';
export { Backoff } from './backoff.js';
