// The updates of one document that this instance applied from other instances and that their
// origin has not yet said it stored. The origin writes what its own clients sent; a peer only
// holds it here, and drops it at the origin's "stored up to N". When that word does not come
// in time (the origin died between relay and commit, or its database is out of reach), the
// peer writes the update itself: a duplicate row is harmless to a CRDT, a lost one is not.
// They live only in memory, so they are written before the room goes (unload, shutdown).

interface Held {
  seq: number;
  update: Uint8Array;
  /** When it must be written if still unconfirmed (performance.now() based). */
  deadline: number;
}

export class UnconfirmedRelays {
  private readonly bySender = new Map<string, Held[]>();
  private timer: NodeJS.Timeout | null = null;
  private settledWaiters: (() => void)[] = [];
  private heldCount = 0;

  constructor(
    private readonly timeoutMs: number,
    /** Takes updates the origin did not confirm in time, to be written by this instance. */
    private readonly write: (updates: Uint8Array[]) => void,
  ) {}

  /** Updates held (for tests and metrics). */
  get size(): number {
    return this.heldCount;
  }

  /** Holds an update `sender` relayed as its `seq`th, until confirmed or timed out. */
  hold(sender: string, seq: number, update: Uint8Array): void {
    let held = this.bySender.get(sender);
    if (!held) this.bySender.set(sender, (held = []));
    held.push({ seq, update, deadline: performance.now() + this.timeoutMs });
    this.heldCount++;
    this.schedule();
  }

  /** `sender` committed everything it relayed up to `seq`. */
  confirm(sender: string, seq: number): void {
    const held = this.bySender.get(sender);
    if (!held) return;
    const kept = held.filter((entry) => entry.seq > seq);
    this.heldCount -= held.length - kept.length;
    if (kept.length > 0) this.bySender.set(sender, kept);
    else this.bySender.delete(sender);
    this.checkSettled();
  }

  /** Hands every held update to `write` now (shutdown: nobody will be here to wait). */
  writeAll(): void {
    this.writeWhere(() => true);
  }

  /** Resolves once nothing is held: everything confirmed, or written after the timeout. */
  settled(): Promise<void> {
    if (this.heldCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** Stops the timer; whatever is held is dropped (call writeAll first to keep it). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer || this.heldCount === 0) return;
    let earliest = Infinity;
    for (const held of this.bySender.values()) earliest = Math.min(earliest, held[0].deadline);
    this.timer = setTimeout(() => {
      this.timer = null;
      const now = performance.now();
      this.writeWhere((entry) => entry.deadline <= now);
      this.schedule();
    }, Math.max(1, earliest - performance.now()));
    this.timer.unref();
  }

  private writeWhere(due: (entry: Held) => boolean): void {
    const updates: Uint8Array[] = [];
    for (const [sender, held] of this.bySender) {
      // Entries of one sender are in arrival order, so their deadlines only grow.
      let count = 0;
      while (count < held.length && due(held[count])) updates.push(held[count++].update);
      if (count === 0) continue;
      if (count === held.length) this.bySender.delete(sender);
      else this.bySender.set(sender, held.slice(count));
    }
    if (updates.length === 0) return;
    this.heldCount -= updates.length;
    this.write(updates);
    this.checkSettled();
  }

  private checkSettled(): void {
    if (this.heldCount > 0) return;
    this.stop();
    const waiters = this.settledWaiters;
    this.settledWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
