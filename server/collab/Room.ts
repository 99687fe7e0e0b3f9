// A loaded document: one Y.Doc and Awareness shared by every connection to it. Updates from
// one connection are applied once, fanned out to the others (encoded once per broadcast) and
// queued for the database. Updates from other instances are applied and relayed to this
// instance's connections, but written by the instance that received them (see Fanout.ts).

import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import { Connection } from "./Connection.ts";
import {
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  type InboundMessage,
} from "./protocol.ts";
import { CloseError, ProtocolError } from "./CloseError.ts";
import { CloseCode } from "../../lib/closeCodes.ts";
import type { CollabLimits } from "./limits.ts";
import { UpdateWriter } from "./storage/UpdateWriter.ts";
import type { DocumentStorage } from "./storage/DocumentStorage.ts";
import { encodeCommentFrame, encodeRoleNotice } from "../../lib/protocolExtensions.ts";
import type { CollabComments } from "./CollabComments.ts";
import type { Logger } from "../log.ts";
import type { Fanout, FanoutMessage } from "./fanout/Fanout.ts";
import { UnconfirmedRelays } from "./fanout/UnconfirmedRelays.ts";
import { canEdit } from "../../lib/access/roles.ts";
import { stampAwareness } from "./stampAwareness.ts";
import { JoinFrames } from "./JoinFrames.ts";
import { containsSubdocument, deleteSetOf } from "./updateStructs.ts";
import { wireFrame } from "./wireFrame.ts";
import type { RoomObserver } from "./RoomObserver.ts";
import type { ServerEdit } from "./ServerEdit.ts";
import type { RoomAuthors } from "../attribution/RoomAuthors.ts";
import type { AuthorIdentity } from "../attribution/ClientOwnerStore.ts";
import { boundStringRuns } from "./boundedStringRuns.ts";
import { AwarenessThrottle } from "./AwarenessThrottle.ts";
import { DurableAcks } from "./DurableAcks.ts";
import { closeOnError } from "./closeOnError.ts";

// Every document's update costs what it changes, not the length of the run it extends.
boundStringRuns();

/** Non-empty updates a read-only connection may send (each dropped) before it is closed with 4403. */
export const MAX_REFUSED_UPDATES = 20;

/** Encoded size of an update that changes nothing (no structs, empty delete set). */
const EMPTY_UPDATE_BYTES = 2;
/** State vector of a document with nothing in it. */
const EMPTY_STATE_VECTOR = new Uint8Array([0]);

/** Transaction origin of updates another instance relayed from its clients: not re-published,
 *  and not written here unless their origin fails to confirm it stored them. */
export const FANOUT_ORIGIN = Symbol("fanout");
/** Transaction origin of another instance's answer to a sync request: not re-published, and
 *  written here (whatever in it is new to this instance may be stored nowhere yet). */
const RESYNC_ORIGIN = Symbol("fanout resync");

/** Numbers every update this process relays, so peers can be told which ones it stored. */
let lastRelaySeq = 0;
/** Owner of awareness client ids announced through another instance (held by a connection there). */
const REMOTE_OWNER = Symbol("remote");

/** What a committed batch made durable: the document's state vector and, per connection,
 *  how many of its update frames had been merged when the batch was taken (DurableAcks), and
 *  the last update relayed to other instances by then. */
interface DurableMark {
  stateVector: Uint8Array;
  updatesByConnection: Map<Connection, number>;
  relaySeq: number;
}

/** What every room of a process shares (Rooms passes it on to each). */
export interface RoomServices {
  storage: DocumentStorage;
  log: Logger;
  /** The limits every room applies. */
  limits: CollabLimits;
  /** Cross-instance fan-out; omit for a single instance. */
  fanout?: Fanout | null;
  /** Told of every room's load, changes and unload (the documents row's projection). */
  observer?: RoomObserver | null;
  /** Handles comment requests and tells joiners the threads (omit: requests are refused). */
  comments?: CollabComments | null;
}

/** What a room is made of (Rooms builds one per loaded document). */
export interface RoomOptions extends RoomServices {
  documentId: string;
  /** The stored state, null for a new document. */
  initialState: Uint8Array | null;
  /** `initialState` as a sync step 2 frame, when Rooms already encoded it. */
  initialStateFrame?: Uint8Array | null;
  /** Who owns which Yjs client id (attribution on): checked on every update a connection
   *  sends, so authorship cannot be forged. */
  authors?: RoomAuthors | null;
}

/** What the room keeps for each connection that joined it. */
interface Member {
  awareness: AwarenessThrottle;
  /** Document updates refused because the role cannot edit (see refuseUpdate). */
  refusedUpdates: number;
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

/** Y.Doc's transaction bookkeeping (not in its public types), read to recover from a failed cleanup. */
type WedgeableDoc = Y.Doc & { _transactionCleanups: Y.Transaction[]; _transaction: Y.Transaction | null };

export class Room {
  /** The document, once built (see the doc getter). */
  private built: Y.Doc | null = null;
  /** The stored state the room was loaded with, until the document is built from it. */
  private unbuiltState: Uint8Array | null;
  readonly awareness: awarenessProtocol.Awareness;
  /** Joined connections, with what the room keeps for each. */
  private readonly members = new Map<Connection, Member>();
  /** Which connection announced each awareness client id: it alone may update that state,
   *  and the state is removed for everyone when it closes. */
  private readonly awarenessOwners = new Map<number, Connection | typeof REMOTE_OWNER>();
  /** Connections that acquired this room and have not released it (see Rooms). */
  holders = 0;
  readonly documentId: string;
  private readonly observer: RoomObserver | null;
  private readonly comments: CollabComments | null;
  /** Who owns which Yjs client id (see RoomOptions); Rooms saves and forgets them with the room. */
  readonly authors: RoomAuthors | null;
  private readonly log: Logger;
  private readonly limits: CollabLimits;
  private readonly fanout: Fanout | null;
  readonly writer: UpdateWriter<DurableMark>;
  private readonly acks: DurableAcks;
  /** State vector of what was loaded from storage (what a client served the stored state has). */
  private readonly loadedStateVector: Uint8Array;
  /** Whether anything was applied since the load. */
  private changedSinceLoad = false;
  /** Ready-made frames for joiners with nothing yet (see JoinFrames). */
  private readonly joinFrames: JoinFrames;
  /**
   * Upper bound of the document's encoded size: loaded state plus every update applied since.
   * Cheap to keep (no re-encoding), and an over-estimate, so the cap errs on the safe side.
   */
  private approximateBytes: number;
  /** Updates applied from other instances that their origin has not confirmed stored. */
  readonly unconfirmed: UnconfirmedRelays | null;
  /** The seq of the last update this room relayed, and the last it told peers was stored. */
  private relaySeq = 0;
  private confirmedRelaySeq = 0;

  constructor({ documentId, initialState, initialStateFrame = null, storage, log, limits, fanout = null, observer = null, comments = null, authors = null }: RoomOptions) {
    this.documentId = documentId;
    this.log = log;
    this.limits = limits;
    this.fanout = fanout;
    this.observer = observer;
    this.comments = comments;
    this.authors = authors;
    // Keep the stored state as a view into its ready-made join frame, which ends with it
    // (encodeSyncStep2), rather than as a second copy of a possibly large document.
    this.unbuiltState = initialState && initialStateFrame ? initialStateFrame.subarray(initialStateFrame.length - initialState.length) : initialState;
    this.joinFrames = new JoinFrames(initialState, initialStateFrame);
    this.approximateBytes = initialState?.length ?? 0;
    // Read off the stored update without building the document. Exact: what is stored was
    // integrated before it was written (the log holds only 'update' events), so it has no gaps.
    this.loadedStateVector = initialState ? Y.encodeStateVectorFromUpdate(initialState) : EMPTY_STATE_VECTOR;
    this.acks = new DurableAcks(this.loadedStateVector, () => {
      // Unbuilt, nothing was applied: every frame counted changed nothing, merged by definition.
      const store = this.built?.store;
      return store !== undefined && (store.pendingStructs !== null || store.pendingDs !== null);
    });
    this.writer = new UpdateWriter(storage, documentId, {
      onWriteError: (error, attempt) =>
        log.warn("document write failed, retrying", { documentId, attempt, error: String(error) }),
      markBatch: () => this.markDurable(),
      onCommitted: (mark) => this.acknowledge(mark),
      onIdle: () => this.acks.idle(),
      onCompacted: () => this.observer?.compacted(this),
    });
    this.unconfirmed = fanout
      ? new UnconfirmedRelays(fanout.confirmTimeoutMs, (updates) => {
          log.warn("writing updates another instance relayed but did not confirm stored", { documentId, updates: updates.length });
          for (const update of updates) this.writer.enqueue(update);
        })
      : null;
    // Awareness needs a Y.Doc for its client id and lifetime, not the content: its own.
    this.awareness = new awarenessProtocol.Awareness(new Y.Doc());
    // The server is not a participant: it has no awareness state of its own.
    this.awareness.setLocalState(null);
    this.awareness.on("update", this.onAwarenessUpdate);
  }

  /**
   * The document, built from the stored state on first use. Serving joiners needs only the
   * stored bytes (JoinFrames, state vectors, diffs of encoded updates); the Y.Doc is built when
   * something must be applied to it: the first edit, or a change from another instance. So a
   * document that is only read is never built, and opening a large one does not block the
   * event loop (tens of milliseconds for a 300 KB document) while its first readers sync.
   */
  get doc(): Y.Doc {
    if (!this.built) {
      const doc = new Y.Doc();
      if (this.unbuiltState) Y.applyUpdate(doc, this.unbuiltState);
      this.unbuiltState = null;
      // Listen only after the stored state is in, so loading never writes anything back.
      doc.on("update", this.onDocUpdate);
      this.built = doc;
    }
    return this.built;
  }

  /** The document's whole state as an update, without building it: the stored bytes while
   *  unbuilt (copied, so the caller may keep or transfer them), else encoded from the Y.Doc.
   *  For the content API, which converts it off the main thread. */
  encodeState(): Uint8Array {
    if (this.built) return Y.encodeStateAsUpdate(this.built);
    return this.unbuiltState ? this.unbuiltState.slice() : Y.encodeStateAsUpdate(new Y.Doc());
  }

  /** Whether `bytes` more of updates would pass the document size limit (the check each update
   *  meets), so a change made of several updates can be refused before any of it is applied. */
  exceedsSizeLimitWith(bytes: number): boolean {
    return this.approximateBytes + bytes > this.limits.maxDocumentBytes;
  }

  /** Whether the Y.Doc has been built (see the doc getter). */
  get isBuilt(): boolean {
    return this.built !== null;
  }

  /** The document's state vector, without building it. */
  private stateVector(): Uint8Array {
    return this.built ? Y.encodeStateVector(this.built) : this.loadedStateVector;
  }

  /** The stored state's delete set as an update with no structs, read when first needed. */
  private storedDeleteSet: Uint8Array | null | undefined;

  /** True for an update that is empty, or exactly the stored state's delete set (unbuilt only). */
  private changesNothingStored(update: Uint8Array): boolean {
    if (update.length === EMPTY_UPDATE_BYTES && update[0] === 0 && update[1] === 0) return true;
    if (update[0] !== 0 || !this.unbuiltState) return false; // it has structs
    this.storedDeleteSet ??= deleteSetOf(this.unbuiltState);
    return this.storedDeleteSet !== null && Buffer.compare(this.storedDeleteSet, update) === 0;
  }

  /** What a client at `stateVector` misses, without building the document. */
  private diffFrom(stateVector: Uint8Array): Uint8Array {
    if (this.built || !this.unbuiltState) return Y.encodeStateAsUpdate(this.doc, stateVector);
    return Y.diffUpdate(this.unbuiltState, stateVector);
  }

  /** How many connections joined and have not left. */
  get connectionCount(): number {
    return this.members.size;
  }

  /**
   * Adds a connection and starts the sync handshake with it. A connection that was already
   * sent the stored state while the document was being built (`servedStoredState`: see
   * Rooms.acquire's onStoredState) gets what changed since, if anything did.
   */
  join(connection: Connection, { servedStoredState = false }: { servedStoredState?: boolean } = {}): void {
    const awareness = new AwarenessThrottle(
      this.limits.awarenessPerSecond,
      (update) => this.applyAwareness(connection, update),
      (error) => closeOnError(connection, error, this.log.child({ documentId: this.documentId })),
    );
    this.members.set(connection, { awareness, refusedUpdates: 0 });
    if (servedStoredState && this.changedSinceLoad) {
      connection.send(encodeSyncUpdate(Y.encodeStateAsUpdate(this.doc, this.loadedStateVector)));
    }
    // The role first, so our client knows it before it answers the sync step 1 below.
    this.announceRole(connection);
    connection.send(encodeSyncStep1(this.stateVector()));
    this.acks.join(connection);
    if (this.awareness.states.size > 0) {
      const clients = [...this.awareness.states.keys()];
      connection.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)));
    }
    if (connection.extensions) this.comments?.joined(this, connection);
  }

  /** Handles one decoded frame from `connection`. Throws CloseError for a bad or over-limit frame. */
  receive(connection: Connection, message: InboundMessage): void {
    switch (message.kind) {
      case "sync-step1": {
        if (JoinFrames.isEmpty(message.stateVector)) {
          for (const frame of this.joinFrames.framesFor(() => this.doc)) connection.send(frame);
          return;
        }
        let diff: Uint8Array;
        try {
          diff = this.diffFrom(message.stateVector);
        } catch (error) {
          throw new ProtocolError(`bad state vector: ${(error as Error).message}`);
        }
        connection.send(encodeSyncStep2(diff));
        return;
      }
      case "sync-step2":
      case "sync-update":
        if (!canEdit(connection.grant.role)) {
          this.refuseUpdate(connection, message.update);
          return;
        }
        this.applyUpdate(connection, message.update);
        this.acks.received(connection);
        // An update that changed nothing queues no write, so no commit would acknowledge it:
        // with nothing being written, everything merged is durable — say so now.
        if (this.writer.idle) this.acks.idle();
        return;
      case "awareness":
        if (message.update.length > this.limits.maxAwarenessBytes) {
          throw new CloseError(CloseCode.TOO_LARGE, `awareness update of ${message.update.length} bytes`);
        }
        this.members.get(connection)?.awareness.offer(message.update);
        return;
      case "query-awareness": {
        const clients = [...this.awareness.states.keys()];
        connection.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)));
        return;
      }
      case "comment":
        if (this.comments) this.comments.receive(this, connection, message.requestId, message.json);
        else connection.send(encodeCommentFrame({ requestId: message.requestId, json: JSON.stringify({ ok: false, error: { code: "unavailable", message: "Comments are not available on this server." } }) }));
        return;
    }
  }

  /**
   * Sends a comment event (a COMMENT frame with request id 0) to every socket here that
   * negotiated our extensions and, unless it came from there, to the other instances.
   */
  broadcastComment(frame: Uint8Array, fromRemote = false): void {
    if (!fromRemote) this.fanout?.publish(this.documentId, { kind: "comment", payload: frame });
    const wire = wireFrame(frame);
    for (const connection of this.members.keys()) if (connection.extensions) connection.sendFrame(wire);
  }

  /** The connection's role changed while it is open (AccessWatch): tell it. */
  roleChanged(connection: Connection): void {
    if (this.members.has(connection)) this.announceRole(connection);
  }

  /**
   * Tells a client that negotiated our extensions its current role (ROLE in
   * lib/protocolExtensions.ts): at the join, and again when its role changes while it is open
   * (AccessWatch), with how many of its updates were accepted before the change, so it can
   * tell the person about edits that arrived too late. A stock client cannot be told.
   */
  private announceRole(connection: Connection): void {
    if (!connection.extensions) return;
    connection.send(
      encodeRoleNotice({ role: connection.grant.role, acceptedUpdates: this.acks.accepted(connection), stateVector: this.stateVector() }),
    );
  }

  /** Removes a connection and, for everyone else, the awareness states it controlled. */
  leave(connection: Connection): void {
    const member = this.members.get(connection);
    if (!member) return;
    this.members.delete(connection);
    member.awareness.stop();
    this.acks.leave(connection);
    const controlled = [...this.awarenessOwners].filter(([, owner]) => owner === connection).map(([clientId]) => clientId);
    if (controlled.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, controlled, null);
  }

  /** Applies what another instance (`sender`) published for this document. */
  receiveRemote(message: FanoutMessage, sender: string): void {
    try {
      switch (message.kind) {
        case "update": {
          this.authors?.sawRemote(Y.parseUpdateMeta(message.payload).to.keys());
          // Structs waiting for a missing dependency (from a resync answer, which is written
          // here) are integrated by whatever update brings it: write what this one integrates.
          const store = this.doc.store;
          const completesPending = store.pendingStructs !== null || store.pendingDs !== null;
          Y.applyUpdate(this.doc, message.payload, completesPending ? RESYNC_ORIGIN : FANOUT_ORIGIN);
          this.unconfirmed?.hold(sender, message.seq, message.payload);
          return;
        }
        case "stored":
          this.unconfirmed?.confirm(sender, message.seq);
          return;
        case "state":
          this.authors?.sawRemote(Y.parseUpdateMeta(message.payload).to.keys());
          Y.applyUpdate(this.doc, message.payload, RESYNC_ORIGIN);
          return;
        case "awareness":
          awarenessProtocol.applyAwarenessUpdate(this.awareness, message.payload, FANOUT_ORIGIN);
          return;
        case "comment":
          this.broadcastComment(message.payload, true);
          return;
        case "sync-request": {
          // A peer just loaded the document, or lost messages: send what it misses, and who is here.
          this.fanout?.publish(this.documentId, { kind: "state", payload: this.diffFrom(message.payload) });
          // It may also have what we miss (updates whose publish failed, or that we missed while
          // our connection to Redis was down): ask back. Once both sides are equal nobody asks again.
          if (hasMissingStructs(message.payload, this.stateVector())) this.requestRemoteState();
          const clients = [...this.awareness.states.keys()];
          if (clients.length > 0) {
            this.fanout?.publish(this.documentId, {
              kind: "awareness",
              payload: awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients),
            });
          }
          return;
        }
      }
    } catch (error) {
      this.recoverWedgedDocument();
      this.log.warn("ignoring a malformed fan-out message", { documentId: this.documentId, error: String(error) });
    }
  }

  /** Asks the other instances for what they have that the database did not. */
  requestRemoteState(): void {
    this.fanout?.publish(this.documentId, { kind: "sync-request", payload: this.stateVector() });
  }

  destroy(): void {
    this.unconfirmed?.stop();
    this.awareness.destroy();
    this.awareness.doc.destroy();
    this.built?.destroy();
  }

  private markDurable(): DurableMark {
    return { stateVector: this.stateVector(), updatesByConnection: this.acks.mark(), relaySeq: this.relaySeq };
  }

  private acknowledge(mark: DurableMark): void {
    this.acks.committed(mark.stateVector, mark.updatesByConnection);
    if (mark.relaySeq > this.confirmedRelaySeq) {
      this.confirmedRelaySeq = mark.relaySeq;
      this.fanout?.publish(this.documentId, { kind: "stored", seq: mark.relaySeq });
    }
  }

  /**
   * Viewers and commenters receive the document but never change it. Their client still
   * sends its local state on sync (usually empty) and may try edits: dropped, logged, and a
   * client that keeps at it is closed with 4403.
   */
  private refuseUpdate(connection: Connection, update: Uint8Array): void {
    if (update.length <= EMPTY_UPDATE_BYTES) return;
    const member = this.members.get(connection);
    if (!member) return;
    member.refusedUpdates++;
    this.log.warn("dropped a document update from a read-only connection", {
      documentId: this.documentId,
      connection: connection.id,
      role: connection.grant.role,
      bytes: update.length,
      refused: member.refusedUpdates,
    });
    if (member.refusedUpdates >= MAX_REFUSED_UPDATES) {
      throw new CloseError(CloseCode.FORBIDDEN, "read-only access: document updates are not accepted");
    }
  }

  private applyAwareness(connection: Connection, raw: Uint8Array): void {
    const identity = connection.grant.identity;
    const update = identity
      ? stampAwareness(raw, identity, (clientId) => this.controlledByAnother(connection, clientId))
      : raw;
    if (update === null) return;
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, connection);
    } catch (error) {
      throw new ProtocolError(`bad awareness update: ${(error as Error).message}`);
    }
  }

  /** True when another connection here announced `clientId` first. */
  private controlledByAnother(connection: Connection, clientId: number): boolean {
    const owner = this.awarenessOwners.get(clientId);
    return owner !== undefined && owner !== connection;
  }

  /** Applies an update the server made itself (the content API: server/documents/
   *  replaceContent.ts) exactly like a client's: the same checks, then relayed to every
   *  connection, fanned out to other instances and queued for the database. */
  applyServerUpdate(update: Uint8Array, origin: ServerEdit): void {
    this.applyUpdate(origin, update);
  }

  private applyUpdate(origin: Connection | ServerEdit, update: Uint8Array): void {
    // Clients answer the server's sync step 1 with what it lacks: usually nothing, or, from a
    // client that synced from the stored state, only that state's own delete set (Yjs always
    // sends the whole delete set). Neither changes anything: no need to build the document.
    if (!this.built && this.changesNothingStored(update)) return;
    if (this.approximateBytes + update.length > this.limits.maxDocumentBytes) {
      throw new CloseError(CloseCode.TOO_LARGE, "document size limit reached");
    }
    // Subdocuments are not synced over this protocol (each needs its own room), and
    // thousands of them in one update cost everyone on the document: refuse them, before
    // Yjs would build a Y.Doc for each while decoding.
    const subdocuments = containsSubdocument(update);
    if (subdocuments) throw new ProtocolError("subdocuments are not supported");
    let decoded: ReturnType<typeof Y.decodeUpdate>;
    try {
      // Decode it alone first: a malformed update must fail here, before it touches the
      // shared document (Yjs keeps an update with missing dependencies as pending and would
      // otherwise re-read its bytes while applying some other client's valid update).
      decoded = Y.decodeUpdate(update);
    } catch (error) {
      throw new ProtocolError(`undecodable document update: ${(error as Error).message}`);
    }
    // Only what the reader above could not follow needs looking at again.
    if (subdocuments === null) {
      for (const struct of decoded.structs) {
        if (struct instanceof Y.Item && struct.content instanceof Y.ContentDoc) {
          throw new ProtocolError("subdocuments are not supported");
        }
      }
    }
    // Before anything is applied: new structs under another person's client id are refused.
    const author = this.authors ? authorOf(origin) : null;
    const attributed = author ? this.authors!.check(author, decoded.structs.filter((struct) => !(struct instanceof Y.Skip)), (client) => Y.getState(this.doc.store, client)) : null;
    try {
      Y.applyUpdate(this.doc, update, origin);
    } catch (error) {
      this.recoverWedgedDocument();
      throw new ProtocolError(`bad document update: ${(error as Error).message}`);
    }
    attributed?.();
  }

  /**
   * Yjs leaves a Y.Doc wedged when a transaction's cleanup throws, which a crafted update can
   * make happen: the failed transaction stays in `_transactionCleanups`, every later transaction
   * counts as nested in it, and no "update" event ever fires again — the server would go on
   * applying clients' updates without relaying or storing any of them. What the failed
   * transaction did integrate is sent on as an ordinary update (so every replica and the store
   * agree with this document), then the document is released.
   */
  private recoverWedgedDocument(): void {
    const doc = this.doc as WedgeableDoc;
    const failed = doc._transactionCleanups;
    if (failed.length === 0) return;
    doc._transactionCleanups = [];
    doc._transaction = null;
    for (const transaction of failed) {
      try {
        const integrated = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(transaction.beforeState));
        doc.emit("update", [integrated, transaction.origin, doc, transaction]);
      } catch (error) {
        this.log.error("could not relay what a failed Yjs transaction integrated", { documentId: this.documentId, error: String(error) });
      }
    }
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction): void => {
    // What another instance relayed from its clients is written there (held here until it
    // says so: see UnconfirmedRelays); everything else is written here.
    if (origin !== FANOUT_ORIGIN) this.writer.enqueue(update);
    this.approximateBytes += update.length;
    this.changedSinceLoad = true;
    const remote = origin === FANOUT_ORIGIN || origin === RESYNC_ORIGIN;
    this.observer?.changed(this, remote ? FANOUT_ORIGIN : origin, transaction);
    if (!remote && this.fanout) {
      this.relaySeq = ++lastRelaySeq;
      this.fanout.publish(this.documentId, { kind: "update", payload: update, seq: this.relaySeq });
    }
    const frame = encodeSyncUpdate(update);
    this.joinFrames.onUpdate(frame);
    const wire = wireFrame(frame);
    for (const connection of this.members.keys()) {
      if (connection !== origin) connection.sendFrame(wire);
    }
  };

  private readonly onAwarenessUpdate = ({ added, updated, removed }: AwarenessChange, origin: unknown): void => {
    const changed = [...added, ...updated, ...removed];
    // A client id belongs to whoever shows it first, in any form: a reconnecting client reuses
    // its id, which then arrives as `updated`, and must not be left for anyone to take over.
    // Ids announced through another instance belong to that instance's connection.
    const owner = origin instanceof Connection ? origin : origin === FANOUT_ORIGIN ? REMOTE_OWNER : null;
    if (owner !== null) {
      for (const id of added) if (!this.awarenessOwners.has(id)) this.awarenessOwners.set(id, owner);
      for (const id of updated) if (!this.awarenessOwners.has(id)) this.awarenessOwners.set(id, owner);
    }
    for (const id of removed) this.awarenessOwners.delete(id);
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
    if (origin !== FANOUT_ORIGIN) this.fanout?.publish(this.documentId, { kind: "awareness", payload: update });
    const wire = wireFrame(encodeAwareness(update));
    for (const connection of this.members.keys()) connection.sendFrame(wire);
  };
}

/** Whom an update is attributed to: a connection's grant (or, for test policies without one,
 *  its awareness identity), the account behind a server edit; null: not attributed. */
function authorOf(origin: Connection | ServerEdit): AuthorIdentity | null {
  if (!(origin instanceof Connection)) return origin.accountId ? { key: origin.accountId, userId: origin.accountId, name: "" } : null;
  const { author, identity, accountId } = origin.grant;
  if (author) return author;
  return identity ? { key: identity.id, userId: accountId ?? null, name: identity.name } : null;
}

/** True when the state vector `theirs` counts structs beyond `ours` for some client. */
function hasMissingStructs(theirs: Uint8Array, ours: Uint8Array): boolean {
  const mine = Y.decodeStateVector(ours);
  for (const [client, clock] of Y.decodeStateVector(theirs)) {
    if (clock > (mine.get(client) ?? 0)) return true;
  }
  return false;
}
