import { RelaisError } from './errors.js';
import type { CommandFrame } from './protocol.js';

/** `waiting`: not handed to the current socket; `queued`: handed, waiting for the rate; `sent`: on the wire. */
type CommandState = 'waiting' | 'queued' | 'sent';

interface PendingCommand {
  readonly frame: CommandFrame;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: RelaisError) => void;
  readonly timer: ReturnType<typeof setTimeout>;
  state: CommandState;
  /** It left on some socket once: the hub may have run it. */
  everSent: boolean;
}

/** Hands a frame to the current socket: false if there is none; `onWire` once it left. */
export type FrameSender = (frame: CommandFrame, onWire: () => void) => boolean;

/**
 * The commands waiting for their `result` or `error` frame, by id. Each has one deadline from the moment the
 * application asked, whether it waited for a connection or for the answer.
 */
export class PendingCommands {
  private readonly pending = new Map<string, PendingCommand>();
  private readonly encoder = new TextEncoder();
  private nextId = 1;
  private inFlightLimit = Infinity;

  constructor(private readonly timeoutMs: number, private readonly maxFrameBytes: number) {}

  add(op: string, args: Record<string, unknown>, idempotencyKey?: string): Promise<unknown> {
    const id = `c${this.nextId++}`;
    const frame: CommandFrame = idempotencyKey === undefined
      ? { type: 'command', id, op, args }
      : { type: 'command', id, op, args, idempotencyKey };
    const size = this.encoder.encode(JSON.stringify(frame)).length;
    if (size > this.maxFrameBytes) {
      // the hub would close the socket (1009), and a keyed command would be sent again at every reconnection
      return Promise.reject(new RelaisError('frame_too_large', `${op} takes ${size} bytes, over the socket's `
        + `${this.maxFrameBytes}: nothing was sent (upload a document first: POST /api/v1/uploads, then deposit its uploadId).`));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const command = this.pending.get(id);
        this.pending.delete(id);
        reject(command?.everSent
          ? new RelaisError('timeout', `No answer to ${op} within ${this.timeoutMs} ms: it may have run`
            + (idempotencyKey === undefined ? '.' : '; send it again with the same idempotency key.'))
          : new RelaisError('not_connected', `Not connected to the hub within ${this.timeoutMs} ms: ${op} was not sent.`));
      }, this.timeoutMs);
      this.pending.set(id, { frame, resolve, reject, timer, state: 'waiting', everSent: false });
    });
  }

  /** How many commands may be on the wire at once (a system's socket runs a window of them; past it the hub closes). */
  limitInFlight(limit: number): void {
    this.inFlightLimit = limit;
  }

  /** Hands the waiting commands to the socket, in the order asked, as far as the window allows. */
  sendWaiting(send: FrameSender): void {
    let inFlight = [...this.pending.values()].filter(command => command.state !== 'waiting').length;
    for (const command of this.pending.values()) {
      if (inFlight >= this.inFlightLimit) {
        return;
      }
      if (command.state === 'waiting') {
        command.state = 'queued'; // before the send: the frame may leave, and onWire run, within it
        if (send(command.frame, () => this.onWire(command))) {
          inFlight++;
        } else {
          command.state = 'waiting';
        }
      }
    }
  }

  succeed(id: unknown, result: unknown): void {
    this.settle(id)?.resolve(result);
  }

  fail(id: unknown, error: RelaisError): void {
    this.settle(id)?.reject(error);
  }

  /** The hub runs too many of this system's commands on its node: this one waits for the next round. */
  sendAgainLater(id: unknown): void {
    const command = typeof id === 'string' ? this.pending.get(id) : undefined;
    if (command !== undefined) {
      command.state = 'waiting';
    }
  }

  /**
   * The connection dropped. What never left waits for the next one. A command with an idempotency key that left is
   * sent again (the hub answers a repeat with the first result, so it runs once), unless `resend` is false (the hub
   * closed the socket over a frame: sending it again would close the next one). Without a key nobody can tell
   * whether it ran: it fails.
   */
  connectionLost(resend: boolean, closeCode: number): void {
    for (const command of [...this.pending.values()]) {
      if (command.state === 'queued') {
        command.state = 'waiting';
      } else if (command.state === 'sent') {
        if (!resend) {
          this.fail(command.frame.id, new RelaisError('rejected', `The hub closed the socket (${closeCode}) while `
            + `${command.frame.op} was in flight, over a frame it refused: it was not sent again.`));
        } else if (command.frame.idempotencyKey === undefined) {
          this.fail(command.frame.id, new RelaisError('disconnected',
            `The connection dropped before ${command.frame.op} was answered: it may or may not have run.`));
        } else {
          command.state = 'waiting';
        }
      }
    }
  }

  failAll(error: RelaisError): void {
    for (const id of [...this.pending.keys()]) {
      this.fail(id, error);
    }
  }

  private onWire(command: PendingCommand): void {
    if (this.pending.get(command.frame.id) === command && command.state === 'queued') {
      command.state = 'sent';
      command.everSent = true;
    }
  }

  private settle(id: unknown): PendingCommand | undefined {
    const command = typeof id === 'string' ? this.pending.get(id) : undefined;
    if (command !== undefined) {
      clearTimeout(command.timer);
      this.pending.delete(id as string);
    }
    return command;
  }
}
