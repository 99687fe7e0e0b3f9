// Owns reconnecting a y-websocket WebsocketProvider: exponential backoff with full jitter
// (lib/sync/reconnectBackoff.ts) instead of y-websocket's fixed, jitter-free schedule, an
// immediate attempt when the browser comes back online, and the time of the next attempt
// for the UI ("Reconnecting in N s").
//
// How it takes over from y-websocket (y-websocket 3.1.0, src/y-websocket.js): on every
// socket close the provider emits "connection-close" and then schedules its own
// `setTimeout(setupWS, min(2^n * 100, maxBackoffTime))`; setupWS only opens a socket when
// `provider.shouldConnect` is true and no socket exists. Our "connection-close" listener
// runs first and sets `shouldConnect = false`, so that built-in timer finds nothing to do;
// our own timer later calls `provider.connect()`, which sets `shouldConnect` back to true.
// Permanent closes (the provider's `shouldReconnect` says no) and `provider.disconnect()`
// are left to y-websocket: they already leave `shouldConnect` false.

import type { WebsocketProvider } from "y-websocket";
import { DEFAULT_BACKOFF_POLICY, reconnectDelayMs, type BackoffPolicy, type RandomSource } from "./reconnectBackoff.ts";

export interface ReconnectState {
  /** Epoch ms of the next scheduled attempt; null when none is waiting. */
  nextAttemptAt: number | null;
  /** Retries scheduled since the last successful sync. */
  attempt: number;
}

export interface ReconnectSchedulerOptions {
  policy?: BackoffPolicy;
  random?: RandomSource;
  /** Fires "online"/"offline" (the window in a browser). */
  network?: EventTarget | null;
  now?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

type Listener = (state: ReconnectState) => void;

export class ReconnectScheduler {
  private readonly policy: BackoffPolicy;
  private readonly random: RandomSource;
  private readonly network: EventTarget | null;
  private readonly now: () => number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly listeners = new Set<Listener>();
  private timer: unknown = null;
  private state: ReconnectState = { nextAttemptAt: null, attempt: 0 };
  /** We want a connection: set by start(), cleared by stop() and by a permanent close. */
  private wanted = false;
  /** Set while we close the socket ourselves on "offline", so that close is not a stop. */
  private closingForOffline = false;
  private destroyed = false;

  constructor(
    private readonly provider: WebsocketProvider,
    options: ReconnectSchedulerOptions = {},
  ) {
    this.policy = options.policy ?? DEFAULT_BACKOFF_POLICY;
    this.random = options.random ?? Math.random;
    this.network = options.network === undefined ? (typeof window === "undefined" ? null : window) : options.network;
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    provider.on("connection-close", this.onConnectionClose);
    provider.on("closed", this.onPermanentClose);
    provider.on("sync", this.onSync);
    this.network?.addEventListener("online", this.onOnline);
    this.network?.addEventListener("offline", this.onOffline);
  }

  get snapshot(): ReconnectState {
    return this.state;
  }

  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Connects now and keeps reconnecting until stop() or a permanent close. */
  start(): void {
    if (this.destroyed) return;
    this.wanted = true;
    this.connectNow();
  }

  /** Skips the wait: the next attempt happens now (e.g. a "Retry now" button). */
  connectNow(): void {
    if (this.destroyed || !this.wanted) return;
    this.cancelTimer();
    this.provider.connect();
  }

  /** Disconnects and stops retrying. */
  stop(): void {
    this.wanted = false;
    this.cancelTimer();
    this.provider.disconnect();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.cancelTimer();
    this.destroyed = true;
    this.wanted = false;
    this.provider.off("connection-close", this.onConnectionClose);
    this.provider.off("closed", this.onPermanentClose);
    this.provider.off("sync", this.onSync);
    this.network?.removeEventListener("online", this.onOnline);
    this.network?.removeEventListener("offline", this.onOffline);
    this.listeners.clear();
  }

  private setState(patch: Partial<ReconnectState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }

  private cancelTimer(): void {
    if (this.timer !== null) {
      this.clearTimer(this.timer);
      this.timer = null;
    }
    if (this.state.nextAttemptAt !== null) this.setState({ nextAttemptAt: null });
  }

  private scheduleRetry(): void {
    if (this.timer !== null) return;
    const delay = reconnectDelayMs(this.state.attempt, this.random, this.policy);
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.setState({ nextAttemptAt: null });
      if (this.wanted && !this.destroyed) this.provider.connect();
    }, delay);
    this.setState({ nextAttemptAt: this.now() + delay, attempt: this.state.attempt + 1 });
  }

  // Runs inside y-websocket's closeWebsocketConnection, before it schedules its own retry.
  private readonly onConnectionClose = (event: CloseEvent | null): void => {
    if (this.destroyed || !this.wanted || this.closingForOffline) return;
    // provider.disconnect() (a deliberate stop) has already cleared shouldConnect.
    if (!this.provider.shouldConnect) return;
    // A permanent close: y-websocket clears shouldConnect and emits "closed" right after.
    if (event && !this.provider.shouldReconnect(event, this.provider)) return;
    this.provider.shouldConnect = false;
    this.scheduleRetry();
  };

  private readonly onPermanentClose = (): void => {
    this.wanted = false;
    this.cancelTimer();
  };

  // Like y-websocket: only a connection that synced resets the backoff, so a server that
  // accepts and then drops connections is backed off as much as one that refuses them.
  private readonly onSync = (synced: boolean): void => {
    if (synced && this.state.attempt !== 0) this.setState({ attempt: 0 });
  };

  private readonly onOnline = (): void => {
    if (this.destroyed || !this.wanted) return;
    this.setState({ attempt: 0 });
    if (this.provider.ws === null) this.connectNow();
  };

  // The network is gone: a socket we think is open is most likely dead, and the heartbeat
  // would take up to 30 s to notice. Close it now and keep retrying with backoff, since
  // navigator.onLine can be wrong; "online" cuts the wait short.
  private readonly onOffline = (): void => {
    if (this.destroyed || !this.wanted || this.provider.ws === null) return;
    this.closingForOffline = true;
    try {
      this.provider.disconnect();
    } finally {
      this.closingForOffline = false;
    }
    this.scheduleRetry();
  };
}
