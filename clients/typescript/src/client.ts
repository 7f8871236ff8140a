import { Backoff } from './backoff.js';
import { PendingCommands } from './commands.js';
import { Connection } from './connection.js';
import { comesAfter, MemoryCursorStore, type Cursor, type CursorStore } from './cursor.js';
import { RelaisError } from './errors.js';
import { CloseCode, isEvent, type IncomingFrame, type RelaisEvent, type Subscribed, type WebSocketConstructor } from './protocol.js';

/** Why the client stopped for good: `close()` was called, the hub refused the credentials, or the session ended. */
export type StopReason = 'closed' | 'signed_out' | 'revoked';

/** Why events were lost: the cursor's history is gone (trimmed by retention, or another epoch), or the hub said so as it closed (4010). */
export type HistoryLossCause = 'cursor_not_recovered' | 'events_trimmed' | 'stream_reset';

export interface HistoryLost {
  /** Where events continue from: reload the application's state by REST, then carry on. */
  readonly cursor: Cursor;
  readonly cause: HistoryLossCause;
}

export interface RelaisClientOptions {
  /** The hub's address, e.g. `https://hub.example` (or `wss://…`); the client connects to its `/api/v1/ws`. */
  url: string;
  /** A valid access token, asked before every connection attempt (and by `refresh()`). */
  token: () => string | Promise<string>;
  /** The WebSocket implementation: `globalThis.WebSocket` by default (browsers, Node 22+); on Node 20, `ws`'s. */
  WebSocket?: WebSocketConstructor;
  /** Where the position of the last handled event is kept; in memory by default. */
  cursorStore?: CursorStore;
  /** Follow the stream (default true). An integrator without `stream:read` sets false to run commands only. */
  subscribe?: boolean;
  /** Acknowledge each event once `onEvent` has returned (default true); otherwise call `ack(offset)`. */
  autoAck?: boolean;
  /** Acknowledgements are cumulative: the highest offset is sent at most once per this delay (default 200 ms). */
  ackDelayMs?: number;
  /** How long a command may wait for a connection and its answer together (default 15 s). */
  commandTimeoutMs?: number;
  /** First wait before reconnecting (default 500 ms); doubles at each failed attempt up to `maxBackoffMs` (30 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** After this long without a frame the client pings; after as long again it drops the socket (default 30 s). */
  heartbeatMs?: number;

  /** Each event once, in order; the next one waits for the promise it returns, if any. */
  onEvent?: (event: RelaisEvent) => void | Promise<void>;
  /** Events between the last one handled and `lost.cursor` cannot be replayed. Called in order with the events. */
  onHistoryLost?: (lost: HistoryLost) => void | Promise<void>;
  /** After every subscription, first or resumed. */
  onSubscribed?: (subscribed: Subscribed) => void;
  /** The socket dropped; the client reconnects (with a fresh token) and resumes from its cursor. */
  onDisconnected?: (closed: { code: number; reason: string }) => void;
  /** The client stopped and will not reconnect: `signed_out` (log in again), `revoked` (the session ended), `closed`. */
  onStopped?: (reason: StopReason) => void;
  /** An error frame that answers no command, a handler that threw, a token that could not be had. */
  onError?: (error: unknown) => void;
}

/** Where the client stands; `unsubscribed`: open for commands only (`subscribe: false`, or the subscription was refused). */
export type ClientStatus = 'idle' | 'connecting' | 'authenticating' | 'subscribing' | 'live' | 'unsubscribed' | 'waiting' | 'stopped';

/** The error frames before a 4001 close that refuse the credentials themselves: reconnecting cannot help. */
const CREDENTIALS_REFUSED = new Set(['token_invalid', 'unauthenticated']);

/** Refusals of a `subscribe` frame, after which the socket stays open for commands. */
const SUBSCRIPTION_REFUSALS = new Set(['insufficient_scope', 'invalid_cursor']);

/**
 * A client of the hub's WebSocket API. It keeps the position of the last event it received and, whenever the socket
 * drops, reconnects with growing waits and resubscribes from that position, so the application's `onEvent` gets
 * every event once and in order; what cannot be replayed is reported to `onHistoryLost`.
 */
export class RelaisClient {
  private readonly url: string;
  private readonly WebSocket: WebSocketConstructor;
  private readonly store: CursorStore;
  private readonly commands: PendingCommands;
  private readonly backoff: Backoff;
  private state: ClientStatus = 'idle';
  private connection?: Connection;
  /** The last event accepted for delivery: what duplicates are dropped against and what a resubscription starts from. */
  private cursor?: Cursor;
  private deliveries: Promise<void> = Promise.resolve();
  private lastErrorCode?: string;
  private historyLoss?: HistoryLossCause;
  private reconnectTimer?: ReturnType<typeof setTimeout>;
  private ackTimer?: ReturnType<typeof setTimeout>;
  private unsentAck?: number;
  private readonly started: Promise<void>;
  private settleStart!: (error?: RelaisError) => void;

  constructor(private readonly options: RelaisClientOptions) {
    const url = new URL('/api/v1/ws', options.url);
    url.protocol = url.protocol.replace(/^http/, 'ws');
    this.url = url.toString();
    const WebSocket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (WebSocket === undefined) {
      throw new Error('No WebSocket in this runtime (Node 20 has none): pass the `ws` package\'s as the WebSocket option.');
    }
    this.WebSocket = WebSocket;
    this.store = options.cursorStore ?? new MemoryCursorStore();
    this.cursor = this.store.load();
    this.commands = new PendingCommands(options.commandTimeoutMs ?? 15_000);
    this.backoff = new Backoff(options.minBackoffMs ?? 500, options.maxBackoffMs ?? 30_000);
    this.started = new Promise((resolve, reject) => {
      this.settleStart = error => (error === undefined ? resolve() : reject(error));
    });
    this.started.catch(() => undefined); // a caller that never awaits start() gets no unhandled rejection
  }

  /**
   * Connects. Resolves at the first subscription (or authentication, with `subscribe: false`), however many attempts
   * it takes; rejects if the client stops first or the hub refuses the subscription (the socket then stays for commands).
   */
  start(): Promise<void> {
    if (this.state === 'idle') {
      void this.connect();
    }
    return this.started;
  }

  /** The position of the last event received: where the client resumes from. */
  get position(): Cursor | undefined {
    return this.cursor;
  }

  get status(): ClientStatus {
    return this.state;
  }

  /** Tells the hub the application has shown everything up to `offset` (the email bridge then stays silent). */
  ack(offset: number): void {
    this.unsentAck = Math.max(offset, this.unsentAck ?? offset);
    this.ackTimer ??= setTimeout(() => {
      this.ackTimer = undefined;
      this.sendAck();
    }, this.options.ackDelayMs ?? 200);
  }

  /**
   * Runs `op` on the hub. Sent now if connected, else at the next connection; rejected with a `RelaisError` carrying
   * the hub's code, or `not_connected` / `timeout` / `disconnected` / `closed`. A write with an `idempotencyKey` in flight
   * when the socket drops is sent again after the reconnection (it runs once).
   */
  command<Result = unknown>(op: string, args: Record<string, unknown> = {}, idempotencyKey?: string): Promise<Result> {
    if (this.state === 'stopped') {
      return Promise.reject(new RelaisError('closed', `The client is stopped: ${op} was not sent.`));
    }
    const answer = this.commands.add(op, args, idempotencyKey) as Promise<Result>;
    this.sendCommands();
    return answer;
  }

  /** Gives the open socket a new token of the same account before its own expires (else the hub closes with 4002). */
  async refresh(): Promise<void> {
    const token = await this.options.token();
    if (this.authenticated()) {
      this.connection?.send({ type: 'refresh', token });
    }
  }

  /** Stops for good: no more events, callbacks or reconnections; waiting commands fail with `closed`. */
  close(): void {
    this.sendAck();
    this.stop('closed');
  }

  private async connect(): Promise<void> {
    this.state = 'connecting';
    let token: string;
    try {
      token = await this.options.token();
    } catch (error) {
      this.options.onError?.(error);
      this.retryLater();
      return;
    }
    if (this.state !== 'connecting') {
      return; // closed meanwhile
    }
    this.state = 'authenticating';
    this.lastErrorCode = undefined;
    this.connection = new Connection(new this.WebSocket(this.url), token, this.options.heartbeatMs ?? 30_000, {
      frame: frame => this.onFrame(frame),
      closed: (code, reason) => this.onClosed(code, reason),
    });
  }

  private onFrame(frame: IncomingFrame): void {
    switch (frame.type) {
      case 'authenticated':
        return this.onAuthenticated();
      case 'subscribed':
        return this.onSubscribed(frame);
      case 'result':
        return this.commands.succeed(frame.id, frame.result);
      case 'error':
        return this.onErrorFrame(new RelaisError(String(frame.code), String(frame.message ?? '')), frame.id);
      default:
        if (isEvent(frame)) {
          this.onEvent(frame);
        }
    }
  }

  private onAuthenticated(): void {
    if (this.options.subscribe === false) {
      this.state = 'unsubscribed';
      this.becameReady();
    } else {
      this.state = 'subscribing';
      const cursor = this.cursor;
      this.connection?.send(cursor === undefined ? { type: 'subscribe' }
        : { type: 'subscribe', cursor: { epoch: cursor.epoch, offset: cursor.offset } });
    }
    this.sendCommands();
  }

  private onSubscribed(frame: IncomingFrame): void {
    const subscribed: Subscribed = { epoch: String(frame.epoch), offset: Number(frame.offset), recovered: frame.recovered !== false };
    const position: Cursor = { epoch: subscribed.epoch, offset: subscribed.offset };
    if (!subscribed.recovered) {
      const lost: HistoryLost = { cursor: position, cause: this.historyLoss ?? 'cursor_not_recovered' };
      this.cursor = position;
      this.deliver(async () => {
        await this.options.onHistoryLost?.(lost);
        this.store.save(position);
      });
    } else if (this.cursor === undefined) {
      this.cursor = position; // the head: a drop before the first event resumes from here
      this.deliver(() => this.store.save(position));
    }
    this.historyLoss = undefined;
    this.state = 'live';
    this.options.onSubscribed?.(subscribed);
    this.becameReady();
  }

  private onEvent(frame: RelaisEvent): void {
    const position: Cursor = { epoch: frame.epoch, offset: frame.offset };
    if (!comesAfter(position, this.cursor)) {
      return; // had it already: a resubscription from an older cursor replays it
    }
    this.cursor = position;
    const event: RelaisEvent = { type: frame.type, epoch: frame.epoch, offset: frame.offset, time: frame.time, data: frame.data };
    this.deliver(async () => {
      await this.options.onEvent?.(event);
      this.store.save(position);
      if (this.options.autoAck !== false) {
        this.ack(event.offset);
      }
    });
  }

  private onErrorFrame(error: RelaisError, commandId: unknown): void {
    if (commandId !== undefined) {
      return this.commands.fail(commandId, error);
    }
    this.lastErrorCode = error.code;
    if (error.code === 'events_trimmed' || error.code === 'stream_reset') {
      this.historyLoss = error.code;
    } else if (this.state === 'subscribing' && SUBSCRIPTION_REFUSALS.has(error.code)) {
      this.state = 'unsubscribed';
      this.settleStart(error);
    }
    this.options.onError?.(error);
  }

  private onClosed(code: number, reason: string): void {
    this.connection = undefined;
    this.commands.connectionLost();
    if (code === CloseCode.sessionRevoked || (code === CloseCode.unauthenticated && this.lastErrorCode === 'session_revoked')) {
      return this.stop('revoked');
    }
    // only a refused token is final: a 4001 after token_expired (late on the way) or database_unavailable is retried
    if (code === CloseCode.unauthenticated && CREDENTIALS_REFUSED.has(this.lastErrorCode ?? 'unauthenticated')) {
      return this.stop('signed_out');
    }
    if (code === CloseCode.streamReset) {
      this.historyLoss ??= 'stream_reset';
    }
    this.options.onDisconnected?.({ code, reason });
    this.retryLater();
  }

  private retryLater(): void {
    if (this.state === 'stopped') {
      return;
    }
    this.state = 'waiting';
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, this.backoff.next());
  }

  private becameReady(): void {
    this.backoff.reset();
    this.sendAck();
    this.settleStart();
  }

  /** Runs the application's handlers one after the other, in the order the frames came. */
  private deliver(step: () => void | Promise<void>): void {
    this.deliveries = this.deliveries.then(async () => {
      if (this.state === 'stopped') {
        return;
      }
      try {
        await step();
      } catch (error) {
        this.options.onError?.(error); // the event is neither saved nor acknowledged; the next one's ack covers it
      }
    });
  }

  private authenticated(): boolean {
    return this.state === 'subscribing' || this.state === 'live' || this.state === 'unsubscribed';
  }

  private sendCommands(): void {
    if (this.authenticated()) {
      this.commands.takeUnsent().forEach(frame => this.connection?.send(frame));
    }
  }

  private sendAck(): void {
    if (this.unsentAck !== undefined && this.state === 'live' && this.connection?.send({ type: 'ack', offset: this.unsentAck })) {
      this.unsentAck = undefined;
    }
  }

  private stop(reason: StopReason): void {
    if (this.state === 'stopped') {
      return;
    }
    this.state = 'stopped';
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.ackTimer);
    this.connection?.close();
    this.connection = undefined;
    const error = new RelaisError(reason, reason === 'closed' ? 'The client was closed.'
      : reason === 'revoked' ? 'The session ended (logout, closed space): log in again.'
        : 'The hub refused the credentials: log in again.');
    this.commands.failAll(error);
    this.settleStart(error);
    this.options.onStopped?.(reason);
  }
}
