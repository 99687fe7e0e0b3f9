// A test client that types uniquely tagged tokens into a shared document and records which
// of them the server has acknowledged durable, by two independent rules:
//  - state vector: an insert by this client covering clocks [k, k2) is durable once an ack's
//    persisted state vector has clock >= k2 for this client;
//  - frame count: an edit whose update frame was the N-th sent on socket S is durable once an
//    ack on that same socket S reports durableUpdates >= N. An edit whose frame was not sent
//    at once (socket not open) is only counted by the state-vector rule.

import * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import type { DurableSaveTracker } from "../../lib/sync/DurableSaveTracker.ts";
import { connectTrackedClient } from "./yClients.ts";

export interface TaggedEdit {
  token: string;
  kind: "text" | "array";
  /** This client's clock after the edit; durable by state vector once persisted clock >= it. */
  clockAfter: number;
  /** The socket that carried the edit's own update frame, and its number on that socket. */
  socket: unknown;
  frame: number | null;
  ackedBySv: boolean;
  ackedByCount: boolean;
}

/** Names of the shared types the tests write into. */
export const TEXT = "t";
export const ARRAY = "a";
export const MAP = "m";

/** Tokens look like `[c3-17]`: they never occur inside one another and are inserted only at
 *  token boundaries, so each stays contiguous in every replica. */
export function token(clientIndex: number, n: number): string {
  return `[c${clientIndex}-${n}]`;
}

export class TaggedEditor {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly tracker: DurableSaveTracker;
  readonly edits: TaggedEdit[] = [];
  /** Highest persisted clock of this client seen in any ack. */
  persistedClock = 0;
  private next = 0;
  private readonly unsubscribe: () => void;

  constructor(
    wsUrl: string,
    documentId: string,
    readonly index: number,
    private readonly random: () => number = Math.random,
    params: Record<string, string> = {},
  ) {
    const { provider, tracker } = connectTrackedClient(wsUrl, documentId, this.doc, params);
    this.provider = provider;
    this.tracker = tracker;
    this.unsubscribe = tracker.subscribe(() => this.onAck());
  }

  /** Inserts one new token (into the text at a token boundary, or pushed onto the array). */
  edit(): TaggedEdit {
    const tok = token(this.index, this.next++);
    const kind = this.random() < 0.7 ? "text" : "array";
    const socket = this.provider.ws;
    const sentBefore = this.tracker.snapshot.sentUpdates;
    if (kind === "text") {
      const text = this.doc.getText(TEXT);
      const content = text.toString();
      const boundaries = [0];
      for (let i = 0; i < content.length; i++) if (content[i] === "]") boundaries.push(i + 1);
      text.insert(boundaries[Math.floor(this.random() * boundaries.length)], tok);
    } else {
      this.doc.getArray<string>(ARRAY).push([tok]);
    }
    const sentAfter = this.tracker.snapshot.sentUpdates;
    // Only when this very edit's frame went out on this socket does a count cover it.
    const frame = this.provider.ws === socket && sentAfter === sentBefore + 1 ? sentAfter : null;
    const edit: TaggedEdit = {
      token: tok,
      kind,
      clockAfter: Y.getState(this.doc.store, this.doc.clientID),
      socket,
      frame,
      ackedBySv: false,
      ackedByCount: false,
    };
    this.edits.push(edit);
    this.onAck();
    return edit;
  }

  /** Edits acknowledged durable by either rule. */
  acknowledged(): TaggedEdit[] {
    return this.edits.filter((e) => e.ackedBySv || e.ackedByCount);
  }

  /** True when the latest ack covers every change this client made (state-vector rule). */
  get allPersisted(): boolean {
    return this.persistedClock >= Y.getState(this.doc.store, this.doc.clientID);
  }

  destroy(): void {
    this.unsubscribe();
    this.tracker.destroy();
    this.provider.destroy();
    this.doc.destroy();
  }

  private onAck(): void {
    const { persistedStateVector, durableUpdates } = this.tracker.snapshot;
    if (persistedStateVector) {
      const clock = Y.decodeStateVector(persistedStateVector).get(this.doc.clientID) ?? 0;
      if (clock > this.persistedClock) this.persistedClock = clock;
    }
    const socket = this.provider.ws;
    for (const edit of this.edits) {
      if (!edit.ackedBySv && edit.clockAfter <= this.persistedClock) edit.ackedBySv = true;
      if (!edit.ackedByCount && edit.frame !== null && edit.socket === socket && durableUpdates >= edit.frame) {
        edit.ackedByCount = true;
      }
    }
  }
}

/** Every token in a document (text and array), for "is every edit stored" checks. */
export function tokensIn(doc: Y.Doc): Set<string> {
  const found = new Set<string>();
  for (const match of doc.getText(TEXT).toString().matchAll(/\[c\d+-\d+\]/g)) found.add(match[0]);
  for (const item of doc.getArray<string>(ARRAY).toArray()) found.add(item);
  return found;
}

/** A Y.Doc holding `state` (null: empty). */
export function docFrom(state: Uint8Array | null): Y.Doc {
  const doc = new Y.Doc();
  if (state) Y.applyUpdate(doc, state);
  return doc;
}

/** Content and state vector of a replica, for equality checks across replicas. */
export function fingerprint(doc: Y.Doc): { stateVector: string; content: string } {
  return {
    stateVector: Buffer.from(Y.encodeStateVector(doc)).toString("hex"),
    content: JSON.stringify({
      [TEXT]: doc.getText(TEXT).toString(),
      [ARRAY]: doc.getArray(ARRAY).toJSON(),
      // Sorted: a map's key order depends on the order updates arrived, not on its content.
      [MAP]: Object.fromEntries(Object.entries(doc.getMap(MAP).toJSON()).sort(([a], [b]) => (a < b ? -1 : 1))),
    }),
  };
}
