// Who joined or left the document, said in few words and seldom: changes are gathered for a
// moment (someone reloading leaves and joins again: nothing to say) and at most one presence
// announcement is made per PRESENCE_MIN_INTERVAL_MS, naming the people. Pure (timers are
// injected), so the rules are tested without a browser; usePresenceAnnouncements feeds it.

/** A change is said this long after it happened, with whatever else changed meanwhile. */
export const PRESENCE_SETTLE_MS = 1_500;
/** At most one presence announcement per this long. */
export const PRESENCE_MIN_INTERVAL_MS = 5_000;
/** More names than this are counted ("and 3 others"), not read out. */
const MAX_NAMES = 3;

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** "Grace", "Grace and Alan", "Grace, Alan and Bob", "Grace, Alan, Bob and 2 others". */
export function nameList(names: readonly string[]): string {
  const shown = names.length > MAX_NAMES + 1 ? names.slice(0, MAX_NAMES) : names;
  const rest = names.length - shown.length;
  const parts = rest > 0 ? [...shown, `${rest} others`] : [...shown];
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/** "Grace joined.", "Bob left.", "Grace and Alan joined; Bob left." (null when nobody did). */
export function presenceMessage(joined: readonly string[], left: readonly string[]): string | null {
  const parts: string[] = [];
  if (joined.length > 0) parts.push(`${nameList(joined)} joined`);
  if (left.length > 0) parts.push(`${nameList(left)} left`);
  return parts.length === 0 ? null : `${parts.join("; ")}.`;
}

export class PresenceAnnouncer {
  /** The others as last announced (or as found on connecting); null while not connected. */
  private known: Set<string> | null = null;
  private current = new Set<string>();
  private timer: unknown = null;
  private lastAnnouncedAt = -Infinity;
  /** Until then, changes are who was already there (their states arrive just after connecting). */
  private quietUntil = -Infinity;

  constructor(
    private readonly say: (text: string) => void,
    private readonly clock: Clock = realClock,
  ) {}

  /** Connected: `names` are who is here, not news; nor is whoever arrives in the next moment. */
  connected(names: Iterable<string>): void {
    this.cancel();
    this.known = new Set(names);
    this.current = new Set(this.known);
    this.quietUntil = this.clock.now() + PRESENCE_SETTLE_MS;
  }

  /** Disconnected: others' states are dropped then, which is not them leaving. */
  disconnected(): void {
    this.cancel();
    this.known = null;
  }

  /** The names of the others present now. */
  update(names: Iterable<string>): void {
    if (this.known === null) return;
    this.current = new Set(names);
    const now = this.clock.now();
    if (now < this.quietUntil) {
      this.known = new Set(this.current);
      return;
    }
    if (this.timer !== null) return;
    const at = Math.max(now + PRESENCE_SETTLE_MS, this.lastAnnouncedAt + PRESENCE_MIN_INTERVAL_MS);
    this.timer = this.clock.setTimeout(() => this.flush(), at - now);
  }

  dispose(): void {
    this.disconnected();
  }

  private flush(): void {
    this.timer = null;
    if (this.known === null) return;
    const joined = [...this.current].filter((name) => !this.known!.has(name));
    const left = [...this.known].filter((name) => !this.current.has(name));
    this.known = new Set(this.current);
    const message = presenceMessage(joined, left);
    if (message === null) return;
    this.lastAnnouncedAt = this.clock.now();
    this.say(message);
  }

  private cancel(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
