import { Backoff } from './backoff.js';
import { PendingCommands } from './commands.js';
import { Connection } from './connection.js';
import { FramePacer } from './pacer.js';
import { tokenLifetimeMs } from './token.js';
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
  /** Frames a person's socket sends per second at most (default 15; the hub closes past 20 with 4008). */
  framesPerSecond?: number;
  /** The same for a system's socket (default 2,000; the hub's limit is 5,000). */
  systemFramesPerSecond?: number;
  /** Commands a system's socket has on the wire at once (default 64, the hub's window); a person's run one at a time. */
  systemCommandsInFlight?: number;
  /** The hub's largest frame (default 65,536 bytes): a bigger command is refused here, unsent (`frame_too_large`). */
  maxFrameBytes?: number;
  /** Give the open socket a new token by itself at 80 % of the current one's life, at most a minute before its end (default true). */
  autoRefresh?: boolean;

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

/** Close codes by which the hub refuses a frame it was sent: commands in flight are not sent again. */
const REFUSED_FRAME = new Set([1002, 1007, 1009, 4000]);

/** The error frames without an id that answer a `refresh`. */
const REFRESH_REFUSALS = new Set(['principal_mismatch', 'token_invalid', 'token_expired', 'session_revoked', 'unauthenticated', 'database_unavailable']);

interface PendingRefresh {
  readonly token: string;
  readonly resolve: () => void;
  readonly reject: (error: RelaisError) => void;
}

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
  private commandRetryTimer?: ReturnType<typeof setTimeout>;
  private refreshTimer?: ReturnType<typeof setTimeout>;
  private unsentAck?: Cursor;
  /** The token the open socket holds, and the refresh on its way, if any. */
  private socketToken?: string;
  private pendingRefresh?: PendingRefresh;
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
    this.commands = new PendingCommands(options.commandTimeoutMs ?? 15_000, options.maxFrameBytes ?? 65_536);
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
    if (this.cursor !== undefined) {
      this.queueAck({ epoch: this.cursor.epoch, offset });
    }
  }

  private queueAck(position: Cursor): void {
    const unsent = this.unsentAck;
    this.unsentAck = unsent?.epoch === position.epoch && unsent.offset > position.offset ? unsent : position;
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

  /**
   * Gives the open socket a new token (`token()`, same account) before its own expires, else the hub closes it with
   * 4002 and the client reconnects. Resolves once the hub took it (`refreshed`); rejects with the hub's refusal
   * (`principal_mismatch`, `token_invalid`…). Without an open socket there is nothing to refresh: the next connection
   * asks `token()` anyway. The client does this by itself unless `autoRefresh` is false.
   */
  async refresh(): Promise<void> {
    const token = await this.options.token();
    const connection = this.connection;
    if (!this.authenticated() || connection === undefined) {
      return;
    }
    this.pendingRefresh?.reject(new RelaisError('superseded', 'Another refresh was asked.'));
    await new Promise<void>((resolve, reject) => {
      this.pendingRefresh = { token, resolve, reject };
      if (!connection.send({ type: 'refresh', token })) {
        this.pendingRefresh = undefined;
        resolve();
      }
    });
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
      this.report(error);
      this.retryLater();
      return;
    }
    if (this.state !== 'connecting') {
      return; // closed meanwhile
    }
    this.state = 'authenticating';
    this.lastErrorCode = undefined;
    this.socketToken = token;
    this.connection = new Connection(new this.WebSocket(this.url), token, this.options.heartbeatMs ?? 30_000,
      new FramePacer(this.options.framesPerSecond ?? 15), {
        frame: frame => this.onFrame(frame),
        closed: (code, reason) => this.onClosed(code, reason),
      });
  }

  private onFrame(frame: IncomingFrame): void {
    switch (frame.type) {
      case 'authenticated':
        return this.onAuthenticated(frame);
      case 'subscribed':
        return this.onSubscribed(frame);
      case 'refreshed':
        return this.onRefreshed(frame);
      case 'result':
        this.commands.succeed(frame.id, frame.result);
        return this.sendCommands();
      case 'error':
        return this.onErrorFrame(new RelaisError(String(frame.code), String(frame.message ?? '')), frame.id);
      default:
        if (isEvent(frame)) {
          this.onEvent(frame);
        }
    }
  }

  private onAuthenticated(frame: IncomingFrame): void {
    if (frame.kind === 'integrator') {
      this.connection?.setRate(this.options.systemFramesPerSecond ?? 2_000);
      this.commands.limitInFlight(this.options.systemCommandsInFlight ?? 64);
    } else {
      this.commands.limitInFlight(Infinity);
    }
    this.planRefresh(frame.expiresAt);
    if (this.options.subscribe === false) {
      this.state = 'unsubscribed';
      this.becameReady();
    } else {
      this.subscribe();
    }
    this.sendCommands();
  }

  private subscribe(): void {
    this.state = 'subscribing';
    const cursor = this.cursor;
    this.connection?.send(cursor === undefined ? { type: 'subscribe' }
      : { type: 'subscribe', cursor: { epoch: cursor.epoch, offset: cursor.offset } });
  }

  private onRefreshed(frame: IncomingFrame): void {
    const refresh = this.pendingRefresh;
    this.pendingRefresh = undefined;
    if (refresh !== undefined) {
      this.socketToken = refresh.token;
      refresh.resolve();
    }
    this.planRefresh(frame.expiresAt);
  }

  /** Asks for a new token at 80 % of the socket's token's life, and at most a minute before it ends. */
  private planRefresh(expiresAt: unknown): void {
    const lifetime = this.socketToken === undefined ? undefined : tokenLifetimeMs(this.socketToken, expiresAt);
    if (this.options.autoRefresh !== false && lifetime !== undefined) {
      this.refreshIn(Math.max(lifetime * 0.8, lifetime - 60_000, 1_000), Math.max(1_000, Math.min(30_000, lifetime / 10)));
    }
  }

  private refreshIn(delayMs: number, retryMs: number): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refresh().catch(error => {
        if (this.authenticated()) { // else the socket is gone, and the next one asks token() anyway
          this.report(error);
          this.refreshIn(retryMs, retryMs); // if the token ends first, the reconnection takes a new one
        }
      });
    }, delayMs);
  }

  private onSubscribed(frame: IncomingFrame): void {
    const subscribed: Subscribed = { epoch: String(frame.epoch), offset: Number(frame.offset), recovered: frame.recovered !== false };
    const position: Cursor = { epoch: subscribed.epoch, offset: subscribed.offset };
    if (!subscribed.recovered || this.historyLoss === 'cursor_not_recovered') {
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
    this.becameReady();
    this.call(() => this.options.onSubscribed?.(subscribed));
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
        this.queueAck(position);
      }
    });
  }

  private onErrorFrame(error: RelaisError, commandId: unknown): void {
    if (commandId !== undefined) {
      if (error.code === 'too_many_commands') {
        this.commands.sendAgainLater(commandId); // the hub did not run it: once another answer comes, or soon
        this.commandRetryTimer ??= setTimeout(() => {
          this.commandRetryTimer = undefined;
          this.sendCommands();
        }, 100);
        return;
      }
      this.commands.fail(commandId, error);
      return this.sendCommands();
    }
    this.lastErrorCode = error.code;
    if (this.pendingRefresh !== undefined && REFRESH_REFUSALS.has(error.code)) {
      const refresh = this.pendingRefresh;
      this.pendingRefresh = undefined;
      return refresh.reject(error);
    }
    if (error.code === 'events_trimmed' || error.code === 'stream_reset') {
      this.historyLoss = error.code;
    } else if (this.state === 'subscribing' && error.code === 'invalid_cursor') {
      // a cursor the hub cannot read (a store's, edited or of another format): from the head, the gap said
      this.cursor = undefined;
      this.historyLoss = 'cursor_not_recovered';
      this.subscribe();
    } else if (this.state === 'subscribing' && error.code === 'insufficient_scope') {
      this.state = 'unsubscribed';
      this.settleStart(error);
    }
    this.report(error);
  }

  private onClosed(code: number, reason: string): void {
    this.connection = undefined;
    this.socketToken = undefined;
    clearTimeout(this.refreshTimer);
    this.pendingRefresh?.reject(new RelaisError('disconnected', 'The socket dropped before the refresh was answered.'));
    this.pendingRefresh = undefined;
    this.commands.connectionLost(!REFUSED_FRAME.has(code), code);
    this.state = 'waiting'; // before the application hears of it: a command it gives now waits for the next socket
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
    this.call(() => this.options.onDisconnected?.({ code, reason }));
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
        this.report(error); // the event is neither saved nor acknowledged; the next one's ack covers it
      }
    });
  }

  /** Calls an application callback; what it throws goes to `onError`, never into the client. */
  private call(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.report(error);
    }
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // an onError that throws has nowhere else to go
    }
  }

  private authenticated(): boolean {
    return this.state === 'subscribing' || this.state === 'live' || this.state === 'unsubscribed';
  }

  private sendCommands(): void {
    const connection = this.connection;
    if (this.authenticated() && connection !== undefined) {
      this.commands.sendWaiting((frame, onWire) => connection.send(frame, onWire));
    }
  }

  private sendAck(): void {
    const ack = this.unsentAck;
    if (ack === undefined || this.state !== 'live') {
      return;
    }
    if (ack.epoch !== this.cursor?.epoch) {
      this.unsentAck = undefined; // of a history that is gone: acknowledging its offset would cover events never shown
    } else if (this.connection?.send({ type: 'ack', offset: ack.offset })) {
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
    clearTimeout(this.commandRetryTimer);
    clearTimeout(this.refreshTimer);
    this.pendingRefresh?.reject(new RelaisError(reason, 'The client stopped before the refresh was answered.'));
    this.pendingRefresh = undefined;
    this.connection?.close();
    this.connection = undefined;
    const error = new RelaisError(reason, reason === 'closed' ? 'The client was closed.'
      : reason === 'revoked' ? 'The session ended (logout, closed space): log in again.'
        : 'The hub refused the credentials: log in again.');
    this.commands.failAll(error);
    this.settleStart(error);
    this.call(() => this.options.onStopped?.(reason));
  }
}
