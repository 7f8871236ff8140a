/**
 * Waits between reconnection attempts: each drawn between half and all of a base that doubles from `minMs` up to
 * `maxMs` ("equal jitter"), so that thousands of clients cut at once by a node's restart do not come back in step.
 */
export class Backoff {
  private attempts = 0;

  constructor(private readonly minMs: number, private readonly maxMs: number, private readonly random: () => number = Math.random) {}

  next(): number {
    const base = Math.min(this.maxMs, this.minMs * 2 ** Math.min(this.attempts, 30));
    this.attempts++;
    return base / 2 + this.random() * (base / 2);
  }

  reset(): void {
    this.attempts = 0;
  }
}
