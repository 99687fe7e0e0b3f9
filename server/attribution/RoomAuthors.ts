// Attribution for one loaded document: which person owns each Yjs client id, enforced on
// every update a connection sends. A client id belongs to the first person whose update wrote
// new structs with it; a later update from anyone else whose new structs use that id is
// refused before it is applied (CloseCode.CLIENT_ID_TAKEN, that socket only), so "who wrote
// this" cannot be forged. Structs the document already has are never judged: a client may
// send back what others wrote.
//
// The check is a Map lookup per client id in the update; the database is written off that
// path: new owners within NEW_OWNER_FLUSH_MS, last-seen times and checkpoints at most once
// every SEEN_FLUSH_MS, and everything when the room unloads.
//
// Several instances: each enforces what it knows. Client ids first seen in updates relayed
// from another instance are "claimed elsewhere" until read back from the database (the other
// instance saves its new owners within NEW_OWNER_FLUSH_MS); a local update writing with such
// an id meanwhile is refused, and the id is re-read, so its real owner gets in on reconnecting.
import { CloseError } from "../collab/CloseError.ts";
import { CloseCode } from "../../lib/closeCodes.ts";
import type { Logger } from "../log.ts";
import type { AuthorIdentity, ClientOwnerRecord, ClientOwnerStore } from "./ClientOwnerStore.ts";

export const NEW_OWNER_FLUSH_MS = 100;
export const SEEN_FLUSH_MS = 60_000;
/** At most one time checkpoint per client id per this interval. */
export const CHECKPOINT_MS = 60_000;
export const MAX_CHECKPOINTS = 500;
/** How long after seeing a relayed client id it is read back from the database. */
const REMOTE_REFRESH_MS = 500;

/** What an update's structs look like to the check: a client id, a clock, a length. */
export interface StructSpan {
  id: { client: number; clock: number };
  length: number;
}

export class ClientIdTakenError extends CloseError {
  override name = "ClientIdTakenError";
  constructor(clientId: number) {
    super(CloseCode.CLIENT_ID_TAKEN, `client id ${clientId} belongs to another person on this document`);
  }
}

export class RoomAuthors {
  private readonly owners = new Map<number, ClientOwnerRecord>();
  /** Client ids written through another instance whose owner is not known here yet. */
  private readonly claimedElsewhere = new Set<number>();
  private readonly dirty = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private timerDue = Infinity;
  private saving: Promise<void> | null = null;
  private closed = false;

  constructor(
    readonly documentId: string,
    records: readonly ClientOwnerRecord[],
    private readonly store: ClientOwnerStore,
    private readonly log: Logger,
  ) {
    for (const record of records) this.owners.set(record.clientId, record);
  }

  /**
   * Checks an update's structs before it is applied. `knownClock(client)`: how many structs of
   * that client the document has. Throws ClientIdTakenError for new structs under another
   * person's client id; otherwise returns what to call once the update was applied.
   */
  check(author: AuthorIdentity, structs: readonly StructSpan[], knownClock: (client: number) => number): () => void {
    let claims: Map<number, number> | null = null;
    for (const struct of structs) {
      const { client, clock } = struct.id;
      const end = clock + struct.length;
      if (struct.length === 0 || claims?.has(client)) continue;
      const owner = this.owners.get(client);
      const known = knownClock(client);
      if (end <= known) continue; // nothing new from this client
      if (owner && owner.key !== author.key) throw new ClientIdTakenError(client);
      if (!owner && this.claimedElsewhere.has(client)) {
        this.refresh([client]);
        throw new ClientIdTakenError(client);
      }
      (claims ??= new Map()).set(client, Math.max(clock, known));
    }
    if (claims === null) return noop;
    const made = claims;
    return () => this.commit(author, made);
  }

  /** Client ids of an update relayed from another instance: unknown ones are someone's there. */
  sawRemote(clients: Iterable<number>): void {
    const unknown: number[] = [];
    for (const client of clients) {
      if (!this.owners.has(client) && !this.claimedElsewhere.has(client)) {
        this.claimedElsewhere.add(client);
        unknown.push(client);
      }
    }
    if (unknown.length > 0) setTimeout(() => this.refresh(unknown), REMOTE_REFRESH_MS).unref();
  }

  /** Every owner known here (the authors API merges these with the stored ones). */
  records(): ClientOwnerRecord[] {
    return [...this.owners.values()];
  }

  /** Writes whatever is pending now (the room unloads, the server stops). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerDue = Infinity;
    while (this.saving) await this.saving;
    await this.save();
  }

  /** Stops saving: the room is gone (flush first). */
  dispose(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private commit(author: AuthorIdentity, claims: Map<number, number>): void {
    const now = Date.now();
    let urgent = false;
    for (const [client, startClock] of claims) {
      const owner = this.owners.get(client);
      if (!owner) {
        this.owners.set(client, { clientId: client, key: author.key, userId: author.userId, name: author.name, firstSeen: now, lastSeen: now, times: [[startClock, now]] });
        this.claimedElsewhere.delete(client);
        urgent = true;
      } else {
        owner.lastSeen = now;
        const last = owner.times[owner.times.length - 1];
        if (!last || now - last[1] >= CHECKPOINT_MS) {
          owner.times.push([startClock, now]);
          if (owner.times.length > MAX_CHECKPOINTS) thin(owner.times);
        }
      }
      this.dirty.add(client);
    }
    this.schedule(urgent ? NEW_OWNER_FLUSH_MS : SEEN_FLUSH_MS);
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    const due = Date.now() + delayMs;
    if (this.timer && this.timerDue <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerDue = Infinity;
      void this.save();
    }, delayMs);
    this.timer.unref();
  }

  private async save(): Promise<void> {
    if (this.saving || this.dirty.size === 0) return;
    const records = [...this.dirty].map((client) => this.owners.get(client)).filter((record): record is ClientOwnerRecord => record !== undefined);
    this.dirty.clear();
    this.saving = (async () => {
      try {
        const lost = await this.store.save(this.documentId, records.map((record) => ({ ...record, times: [...record.times] })));
        for (const [client, stored] of lost) {
          this.log.warn("client id claimed by another person through another instance", { documentId: this.documentId, clientId: client });
          this.owners.set(client, stored);
        }
      } catch (error) {
        // The document may not have its row yet (its first update is still being written), or
        // the database is away: keep them for the next save.
        for (const record of records) this.dirty.add(record.clientId);
        this.log.warn("saving client id owners failed; retrying", { documentId: this.documentId, error: String(error) });
        this.schedule(NEW_OWNER_FLUSH_MS * 10);
      }
    })();
    await this.saving;
    this.saving = null;
    if (this.dirty.size > 0 && !this.closed) this.schedule(NEW_OWNER_FLUSH_MS);
  }

  private refresh(clients: number[]): void {
    void this.store.load(this.documentId).then(
      (records) => {
        const wanted = new Set(clients);
        for (const record of records) {
          if (!wanted.has(record.clientId) || this.owners.has(record.clientId)) continue;
          this.owners.set(record.clientId, record);
          this.claimedElsewhere.delete(record.clientId);
        }
      },
      (error: unknown) => this.log.warn("reading client id owners failed", { documentId: this.documentId, error: String(error) }),
    );
  }
}

const noop = () => {};

/** Halves the older half of the checkpoints, keeping the recent ones exact. */
function thin(times: [number, number][]): void {
  const half = Math.floor(times.length / 2);
  const older = times.slice(0, half).filter((_, index) => index % 2 === 0);
  times.splice(0, half, ...older);
}
