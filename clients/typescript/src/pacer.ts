/**
 * Keeps a socket's frames within the hub's rate (`ws.maxMessagesPerSecond`, over which it closes with 4008): at most
 * `perSecond` frames in any second; the others wait, in order, for the second to pass.
 */
export class FramePacer {
  /** When each of the last `perSecond` frames left (monotonic ms), oldest first, from `first`. */
  private sentAt: number[] = [];
  private first = 0;
  private readonly waiting: Array<() => void> = [];
  private timer?: ReturnType<typeof setTimeout>;

  constructor(private perSecond: number, private readonly now: () => number = () => performance.now()) {}

  /** Another rate, once the hub said who is connected (a system may send far more than a person). */
  setRate(perSecond: number): void {
    this.perSecond = perSecond;
    this.flush();
  }

  /** Runs `write` now if the rate allows, else once it does. */
  submit(write: () => void): void {
    this.waiting.push(write);
    this.flush();
  }

  /** Drops what waits: the socket is gone. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting.length = 0;
  }

  private flush(): void {
    while (this.waiting.length > 0) {
      const now = this.now();
      while (this.first < this.sentAt.length && now - this.sentAt[this.first] >= 1000) {
        this.first++;
      }
      if (this.first > 1024) {
        this.sentAt = this.sentAt.slice(this.first);
        this.first = 0;
      }
      if (this.sentAt.length - this.first >= this.perSecond) {
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.flush();
        }, Math.ceil(this.sentAt[this.first] + 1000 - now) + 1);
        return;
      }
      this.sentAt.push(now);
      this.waiting.shift()!();
    }
  }
}
