/** The frames of the hub's WebSocket API, version 1 (docs/API.md, docs/asyncapi.yaml). */

/** One event of the stream: `type` is dotted (`document.arrived`); `data` carries ids and counts, never health data. */
export interface RelaisEvent<Data = Record<string, unknown>> {
  readonly type: string;
  readonly epoch: string;
  readonly offset: number;
  /** When the event was written, UTC, RFC 3339 to the microsecond; the same live and replayed. */
  readonly time: string;
  readonly data: Data;
}

/** The hub's answer to a subscription: where the stream stands, and whether everything after the cursor was replayed. */
export interface Subscribed {
  readonly epoch: string;
  readonly offset: number;
  readonly recovered: boolean;
}

export interface CommandFrame {
  readonly type: 'command';
  readonly id: string;
  readonly op: string;
  readonly args: Record<string, unknown>;
  readonly idempotencyKey?: string;
}

/** A frame from the hub, as parsed; its members are checked where they are used. */
export interface IncomingFrame {
  readonly type?: unknown;
  readonly [member: string]: unknown;
}

export function isEvent(frame: IncomingFrame): frame is IncomingFrame & RelaisEvent {
  return typeof frame.type === 'string' && frame.type.includes('.') && typeof frame.epoch === 'string'
    && typeof frame.offset === 'number';
}

/** Close codes after which reconnecting with the same account cannot help (docs/API.md, "Close codes"). */
export const CloseCode = {
  unauthenticated: 4001,
  tokenExpired: 4002,
  sessionRevoked: 4003,
  streamReset: 4010,
} as const;

/**
 * What the client needs of a WebSocket: the browsers' and Node 22's `WebSocket`, and the `ws` package's, all fit.
 * The handlers take `any` so that each implementation's own event types are accepted.
 */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: any) => void) | null;
  onclose: ((event: any) => void) | null;
  onerror: ((event: any) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;
