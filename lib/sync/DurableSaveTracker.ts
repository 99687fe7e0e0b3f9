// Client side of the durable-save acknowledgement (lib/protocolExtensions.ts): counts the
// document updates this client sends on the current socket and the server's acks of them,
// so the UI can say "Saved" only when the server has committed every local change.
// Works with a stock y-websocket WebsocketProvider, in the browser and in Node.

import type * as decoding from "lib0/decoding";
import type { WebsocketProvider } from "y-websocket";
import {
  EXTENSION_SUBPROTOCOL,
  ExtensionMessageType,
  isDocumentUpdateFrame,
  readPersistedAck,
} from "../protocolExtensions.ts";

export interface DurableSaveState {
  /** Document update frames sent on the current socket. */
  sentUpdates: number;
  /** Of those, how many the server reported durable. */
  durableUpdates: number;
  /** The server's persisted state vector from its latest ack (null before the first). */
  persistedStateVector: Uint8Array | null;
  /** Local changes made while no socket was open (sent at the next sync). */
  unsentChanges: boolean;
  /** A local change (typed, or loaded from the local copy) not yet covered by a "saved". */
  pendingLocalChanges: boolean;
}

type Listener = (state: DurableSaveState) => void;

export class DurableSaveTracker {
  private state: DurableSaveState = {
    sentUpdates: 0,
    durableUpdates: 0,
    persistedStateVector: null,
    unsentChanges: false,
    pendingLocalChanges: false,
  };
  private readonly listeners = new Set<Listener>();

  /** Call before the provider connects (create it with `connect: false`, then `connect()`). */
  constructor(private readonly provider: WebsocketProvider) {
    if (!provider.protocols.includes(EXTENSION_SUBPROTOCOL)) provider.protocols.push(EXTENSION_SUBPROTOCOL);
    provider.messageHandlers[ExtensionMessageType.PERSISTED] = (_encoder, decoder: decoding.Decoder) => {
      const ack = readPersistedAck(decoder);
      this.update({ durableUpdates: ack.durableUpdates, persistedStateVector: ack.stateVector });
    };
    provider.on("status", this.onStatus);
    provider.doc.on("update", this.onDocUpdate);
    if (provider.ws) this.instrument(provider.ws);
  }

  /** True when every local change has been committed by the server. */
  get saved(): boolean {
    const s = this.state;
    return this.provider.wsconnected && s.persistedStateVector !== null && !s.unsentChanges && s.durableUpdates >= s.sentUpdates;
  }

  /** True when this client has changes the server has not committed: leaving would risk them. */
  get hasUnsavedChanges(): boolean {
    return this.state.pendingLocalChanges && !this.saved;
  }

  get snapshot(): DurableSaveState {
    return this.state;
  }

  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  destroy(): void {
    this.provider.off("status", this.onStatus);
    this.provider.doc.off("update", this.onDocUpdate);
    this.listeners.clear();
  }

  private update(patch: Partial<DurableSaveState>): void {
    this.state = { ...this.state, ...patch };
    if (this.state.pendingLocalChanges && this.saved) this.state = { ...this.state, pendingLocalChanges: false };
    for (const listener of this.listeners) listener(this.state);
  }

  private readonly onStatus = ({ status }: { status: string }): void => {
    if (status === "connecting" && this.provider.ws) this.instrument(this.provider.ws);
    if (status === "disconnected") this.update({ persistedStateVector: null });
    else this.update({});
  };

  // A local change while disconnected is sent by the next sync (step 2), which the counts
  // then cover; until that sync is sent, remember there is something unsent.
  // The provider's own update listener was registered first, so a change made while
  // connected has been sent (and counted) before this runs.
  private readonly onDocUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (origin === this.provider) return;
    this.update(this.provider.wsconnected ? { pendingLocalChanges: true } : { pendingLocalChanges: true, unsentChanges: true });
  };

  /** Counts update frames on a fresh socket; counts restart per socket, as on the server. */
  private instrument(ws: WebSocket): void {
    const marked = ws as WebSocket & { __durableSaveCounted?: boolean };
    if (marked.__durableSaveCounted) return;
    marked.__durableSaveCounted = true;
    this.update({ sentUpdates: 0, durableUpdates: 0, persistedStateVector: null });
    const send = ws.send.bind(ws);
    ws.send = (data: Parameters<WebSocket["send"]>[0]) => {
      if (this.provider.ws === ws) {
        const bytes = data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : null;
        if (bytes && isDocumentUpdateFrame(bytes)) {
          this.update({ sentUpdates: this.state.sentUpdates + 1, unsentChanges: false });
        }
      }
      send(data);
    };
  }
}
