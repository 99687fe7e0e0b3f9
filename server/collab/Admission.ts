// Who gets a socket: the limits checked at each upgrade, before authorisation. Per document
// (clients, counted from the upgrade on, so concurrent upgrades to a document still loading
// count too), per address (open and new connections: AddressLimiter) and per process (loaded
// documents). Every place taken is given back when the TCP socket closes, however the upgrade
// or the connection ends.
import type { Duplex } from "node:stream";
import { AddressLimiter } from "./AddressLimiter.ts";
import type { CollabLimits } from "./limits.ts";
import type { Rooms } from "./Rooms.ts";

/** An admitted upgrade: `end` when it holds its document (SocketSession) or is refused. */
export interface AdmissionTicket {
  end(): void;
}

export class Admission {
  /** Sockets admitted per document (upgrading or open). */
  private readonly clientsPerDocument = new Map<string, number>();
  private readonly addresses: AddressLimiter;
  // maxLoadedDocuments counts a document from the upgrade that admits it, not from its load:
  // authorisation is asynchronous, and every upgrade checked before the first load began
  // would otherwise pass (with a 20 ms authorisation, 101 documents loaded against a cap of 50).
  /** Upgrades per document admitted and not yet holding a room (authorising, upgrading). */
  private readonly admitting = new Map<string, number>();
  /** Connections per document between rooms.acquire and rooms.release (loading or loaded). */
  private readonly holding = new Map<string, number>();

  constructor(
    private readonly limits: CollabLimits,
    private readonly rooms: Rooms,
  ) {
    this.addresses = new AddressLimiter(limits.maxConnectionsPerIp, limits.newConnectionsPerIpPerMinute);
  }

  /** Admits an upgrade to `documentId` from `address`, or answers the HTTP status to refuse it with. */
  admit(documentId: string, address: string, socket: Duplex): AdmissionTicket | 429 | 503 {
    const known = this.admitting.has(documentId) || this.holding.has(documentId) || this.rooms.peek(documentId) !== undefined;
    if (!known && this.documentsCounted() >= this.limits.maxLoadedDocuments) return 503;
    if ((this.clientsPerDocument.get(documentId) ?? 0) >= this.limits.maxClientsPerDocument) return 503;
    if (!this.addresses.admit(address)) return 429;
    countIn(this.clientsPerDocument, documentId, 1);
    // The document's reservation (see documentsCounted) lasts until the connection holds a
    // room, or the upgrade is refused or dropped.
    countIn(this.admitting, documentId, 1);
    let admitting = true;
    const end = () => {
      if (!admitting) return;
      admitting = false;
      countIn(this.admitting, documentId, -1);
    };
    socket.once("close", () => {
      end();
      this.addresses.release(address);
      countIn(this.clientsPerDocument, documentId, -1);
    });
    return { end };
  }

  /** A connection is acquiring or holds `documentId`'s room; call the result when it lets go. */
  hold(documentId: string): () => void {
    countIn(this.holding, documentId, 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      countIn(this.holding, documentId, -1);
    };
  }

  /** Documents loaded or loading, plus those reserved by upgrades still being admitted. */
  private documentsCounted(): number {
    let reserved = 0;
    for (const documentId of this.admitting.keys()) if (!this.holding.has(documentId) && !this.rooms.peek(documentId)) reserved++;
    return this.rooms.size + reserved;
  }
}

/** Adds `delta` to `key`'s count, removing the key at zero. */
function countIn(counts: Map<string, number>, key: string, delta: number): void {
  const count = (counts.get(key) ?? 0) + delta;
  if (count > 0) counts.set(key, count);
  else counts.delete(key);
}
