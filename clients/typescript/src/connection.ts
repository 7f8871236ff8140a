import { FramePacer } from './pacer.js';
import type { IncomingFrame, WebSocketLike } from './protocol.js';

const OPEN = 1;

export interface ConnectionHandlers {
  frame(frame: IncomingFrame): void;
  /** Once, however the socket ended: the hub's close code, 1006 for a cut network or a hub that stopped answering. */
  closed(code: number, reason: string): void;
}

/**
 * One WebSocket to the hub: it authenticates with a first `auth` frame (browsers cannot set an Authorization header),
 * paces what it sends to the hub's rate, parses what comes, and gives up on a socket that hears nothing, not even the
 * answer to a ping, for two heartbeats: a network that vanished (a laptop put to sleep) can leave a socket "open" for
 * minutes.
 */
export class Connection {
  private heard = true;
  private pinged = false;
  private ended = false;
  private readonly heartbeat: ReturnType<typeof setInterval>;

  constructor(private readonly socket: WebSocketLike, token: string, heartbeatMs: number,
              private readonly pacer: FramePacer, private readonly handlers: ConnectionHandlers) {
    socket.onopen = () => this.send({ type: 'auth', token });
    socket.onmessage = message => this.received(message.data);
    socket.onclose = close => this.end(close.code ?? 1006, close.reason ?? '');
    socket.onerror = () => undefined; // a close event follows, with the code
    this.heartbeat = setInterval(() => this.checkHeard(), heartbeatMs);
  }

  /**
   * Hands a frame to the socket if it is open (false otherwise). It leaves when the rate allows: `onWire` is called
   * then, and never if the socket ends first.
   */
  send(frame: object, onWire?: () => void): boolean {
    if (!this.open()) {
      return false;
    }
    const text = JSON.stringify(frame);
    this.pacer.submit(() => {
      if (this.open()) {
        this.socket.send(text);
        onWire?.();
      }
    });
    return true;
  }

  /** The hub's rate for this socket, once it said who is connected. */
  setRate(framesPerSecond: number): void {
    this.pacer.setRate(framesPerSecond);
  }

  /** Closes the socket from this side; `closed` is not called. */
  close(): void {
    this.end(1000, 'closed by the client', false);
  }

  private open(): boolean {
    return !this.ended && this.socket.readyState === OPEN;
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
    this.pacer.stop();
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
