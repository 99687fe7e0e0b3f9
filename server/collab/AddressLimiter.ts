// Per client address: open connections and new connections per minute. Entries are dropped
// as soon as an address has no connection and no recent attempts, so memory stays bounded
// by the number of active addresses.

import { TokenBucket } from "./TokenBucket.ts";

interface AddressState {
  open: number;
  attempts: TokenBucket;
  lastSeen: number;
}

const MINUTE_MS = 60_000;

export class AddressLimiter {
  private readonly addresses = new Map<string, AddressState>();

  constructor(
    private readonly maxOpen: number,
    private readonly newPerMinute: number,
  ) {}

  /** Registers a new connection attempt; false when the address is over a limit. */
  admit(address: string): boolean {
    this.prune();
    let state = this.addresses.get(address);
    if (!state) {
      state = { open: 0, attempts: new TokenBucket(this.newPerMinute / 60, this.newPerMinute), lastSeen: 0 };
      this.addresses.set(address, state);
    }
    state.lastSeen = performance.now();
    if (state.open >= this.maxOpen || !state.attempts.take()) return false;
    state.open++;
    return true;
  }

  /** A connection admitted for `address` has closed. */
  release(address: string): void {
    const state = this.addresses.get(address);
    if (state) state.open = Math.max(0, state.open - 1);
  }

  /** Drops idle addresses whose attempt bucket has had a minute to refill. */
  private prune(): void {
    if (this.addresses.size < 1_000) return;
    const now = performance.now();
    for (const [address, state] of this.addresses) {
      if (state.open === 0 && now - state.lastSeen > MINUTE_MS) this.addresses.delete(address);
    }
  }
}
