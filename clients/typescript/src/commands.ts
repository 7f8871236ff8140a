import { RelaisError } from './errors.js';
import type { CommandFrame } from './protocol.js';

interface PendingCommand {
  readonly frame: CommandFrame;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: RelaisError) => void;
  readonly timer: ReturnType<typeof setTimeout>;
  sent: boolean;
}

/**
 * The commands waiting for their `result` or `error` frame, by id. Each has one deadline from the moment the
 * application asked, whether it waited for a connection or for the answer.
 */
export class PendingCommands {
  private readonly pending = new Map<string, PendingCommand>();
  private nextId = 1;

  constructor(private readonly timeoutMs: number) {}

  add(op: string, args: Record<string, unknown>, idempotencyKey?: string): Promise<unknown> {
    const id = `c${this.nextId++}`;
    const frame: CommandFrame = idempotencyKey === undefined
      ? { type: 'command', id, op, args }
      : { type: 'command', id, op, args, idempotencyKey };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const command = this.pending.get(id);
        this.pending.delete(id);
        reject(command?.sent
          ? new RelaisError('timeout', `No answer to ${op} within ${this.timeoutMs} ms.`)
          : new RelaisError('not_connected', `Not connected to the hub within ${this.timeoutMs} ms: ${op} was not sent.`));
      }, this.timeoutMs);
      this.pending.set(id, { frame, resolve, reject, timer, sent: false });
    });
  }

  /** The frames not sent on the current connection yet, marked as sent. */
  takeUnsent(): CommandFrame[] {
    const unsent = [...this.pending.values()].filter(command => !command.sent);
    unsent.forEach(command => { command.sent = true; });
    return unsent.map(command => command.frame);
  }

  succeed(id: unknown, result: unknown): void {
    this.settle(id)?.resolve(result);
  }

  fail(id: unknown, error: RelaisError): void {
    this.settle(id)?.reject(error);
  }

  /**
   * The connection dropped. A command with an idempotency key is sent again on the next connection: the hub answers
   * a repeat with the first result, so it runs once. Without a key nobody can tell whether it ran: it fails.
   */
  connectionLost(): void {
    for (const command of [...this.pending.values()]) {
      if (!command.sent) {
        continue;
      }
      if (command.frame.idempotencyKey === undefined) {
        this.fail(command.frame.id, new RelaisError('disconnected',
          `The connection dropped before ${command.frame.op} was answered: it may or may not have run.`));
      } else {
        command.sent = false;
      }
    }
  }

  failAll(error: RelaisError): void {
    for (const id of [...this.pending.keys()]) {
      this.fail(id, error);
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
