/** A position in a stream: the history (`epoch`) and the last event's `offset` in it. */
export interface Cursor {
  readonly epoch: string;
  readonly offset: number;
}

/** Where the client keeps the position of the last event the application handled, to resume from it after a restart. */
export interface CursorStore {
  load(): Cursor | undefined;
  save(cursor: Cursor): void;
}

/** Keeps the cursor for the life of the page or process: the default. */
export class MemoryCursorStore implements CursorStore {
  constructor(private cursor?: Cursor) {}

  load(): Cursor | undefined {
    return this.cursor;
  }

  save(cursor: Cursor): void {
    this.cursor = cursor;
  }
}

/** What `WebStorageCursorStore` needs of `localStorage` or `sessionStorage`. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Keeps the cursor in a Web Storage (`localStorage`), so that a reloaded page resumes where it was. */
export class WebStorageCursorStore implements CursorStore {
  constructor(private readonly storage: KeyValueStorage, private readonly key = 'relais.cursor') {}

  load(): Cursor | undefined {
    const saved = this.storage.getItem(this.key);
    if (saved === null) {
      return undefined;
    }
    try {
      const { epoch, offset } = JSON.parse(saved);
      return typeof epoch === 'string' && Number.isSafeInteger(offset) && offset >= 0 ? { epoch, offset } : undefined;
    } catch {
      return undefined; // unreadable: start from the head rather than fail
    }
  }

  save(cursor: Cursor): void {
    this.storage.setItem(this.key, JSON.stringify({ epoch: cursor.epoch, offset: cursor.offset }));
  }
}

/**
 * Whether an event at `position` is new to a client at `cursor`. Offsets only compare within one history: an event
 * of another epoch (the first event after a subscription from `{"epoch":""}`, or after a reset) is new.
 */
export function comesAfter(position: Cursor, cursor: Cursor | undefined): boolean {
  return cursor === undefined || position.epoch !== cursor.epoch || position.offset > cursor.offset;
}
