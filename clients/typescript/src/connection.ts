import type { IncomingFrame, WebSocketLike } from './protocol.js';

const OPEN = 1;

export interface ConnectionHandlers {
  frame(frame: IncomingFrame): void;
  /** Once, however the socket ended: the hub's close code, 1006 for a cut network or a hub that stopped answering. */
  closed(code: number, reason: string): void;
}

/**
 * One WebSocket to the hub: it authenticates with a first `auth` frame (browsers cannot set an Authorization header),
 * parses what comes, and gives up on a socket that hears nothing, not even the answer to a ping, for two heartbeats:
 * a network that vanished (a laptop put to sleep) can leave a socket "open" for minutes.
 */
export class Connection {
  private heard = true;
  private pinged = false;
  private ended = false;
  private readonly heartbeat: ReturnType<typeof setInterval>;

  constructor(private readonly socket: WebSocketLike, token: string, heartbeatMs: number,
              private readonly handlers: ConnectionHandlers) {
    socket.onopen = () => this.send({ type: 'auth', token });
    socket.onmessage = message => this.received(message.data);
    socket.onclose = close => this.end(close.code ?? 1006, close.reason ?? '');
    socket.onerror = () => undefined; // a close event follows, with the code
    this.heartbeat = setInterval(() => this.checkHeard(), heartbeatMs);
  }

  /** Sends a frame if the socket is open; false otherwise. */
  send(frame: object): boolean {
    if (this.ended || this.socket.readyState !== OPEN) {
      return false;
    }
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** Closes the socket from this side; `closed` is not called. */
  close(): void {
    this.end(1000, 'closed by the client', false);
  }

  private received(data: unknown): void {
    this.heard = true;
    if (typeof data !== 'string') {
      return; // the hub sends text frames only
    }
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (frame !== null && typeof frame === 'object') {
      this.handlers.frame(frame as IncomingFrame);
    }
  }

  private checkHeard(): void {
    if (this.heard) {
      this.heard = false;
      this.pinged = false;
    } else if (!this.pinged) {
      this.send({ type: 'ping' });
      this.pinged = true;
    } else {
      this.end(1006, 'the hub did not answer a ping');
    }
  }

  private end(code: number, reason: string, report = true): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    clearInterval(this.heartbeat);
    this.socket.onopen = this.socket.onmessage = this.socket.onclose = null;
    try {
      this.socket.close(1000);
    } catch {
      // closing a socket that is still connecting may throw in some implementations: it is dropped all the same
    }
    if (report) {
      this.handlers.closed(code, reason);
    }
  }
}
