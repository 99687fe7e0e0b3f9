// The version history's operations behind its API (app/api/documents/[id]/versions/...):
// listing, opening one with its changes marked, saving one by hand, restoring one. Roles are
// checked by the route handlers (versionHttp.ts); everything here is scoped to one document, so
// a version id of another document is simply not found.
import type { Rooms } from "../collab/Rooms.ts";
import type { Conversions } from "../documents/conversion/liveConversions.ts";
import { applyInPieces, oneAtATime, ownBuffer } from "../documents/replaceContent.ts";
import { ServerEdit } from "../collab/ServerEdit.ts";
import { colorForId } from "../../lib/editor/userIdentity.ts";
import type { ImportResult } from "../documents/conversion/conversionTasks.ts";
import type { VersionRecorder } from "./VersionRecorder.ts";
import type { VersionAuthor, VersionChain, VersionSummary } from "./VersionStore.ts";
import type { VersionDiffResult, VersionDiffTask } from "./versionTasks.ts";
import type { JSONContent } from "@tiptap/core";

/** A person as the API shows them. */
export interface AuthorJson {
  id: string;
  name: string;
  color: string;
}

export interface VersionJson {
  id: string;
  createdAt: string;
  kind: VersionSummary["kind"];
  name: string | null;
  authors: AuthorJson[];
}

export type Compare = "previous" | "current";

export interface OpenedVersion {
  version: VersionJson;
  compare: Compare;
  /** The version it is compared with (null: the current document, or none before it). */
  against: VersionJson | null;
  title: string;
  content: JSONContent;
  /** Everyone whose changes are marked, by the author ids in the marks. */
  authors: AuthorJson[];
}

/** Thrown for a version id that is not one of the document's versions. */
export class VersionNotFound extends Error {
  constructor() {
    super("No such version of this document.");
  }
}

export class VersionHistory {
  constructor(
    private readonly recorder: VersionRecorder,
    private readonly rooms: Rooms,
    private readonly conversions: Conversions,
  ) {}

  private get store() {
    return this.recorder.store;
  }

  async list(documentId: string): Promise<VersionJson[]> {
    const versions = await this.store.list(documentId);
    const names = await this.accountNames(versions.flatMap((version) => version.authors));
    return versions.map((version) => this.json(version, names));
  }

  /** The version as editor JSON with its changes against the version before it, or against
   *  the current document, marked. Throws VersionNotFound. */
  async open(documentId: string, versionId: string, compare: Compare): Promise<OpenedVersion> {
    const chain = await this.store.chain(documentId, versionId);
    if (!chain) throw new VersionNotFound();
    const selected = chain.parts.map((part) => part.data);
    let first: Uint8Array[];
    let second: Uint8Array[];
    let show: "first" | "second";
    let live: VersionDiffTask["live"];
    let against: VersionSummary | null = null;
    const authors = await this.store.authors(documentId);
    if (compare === "current") {
      first = selected;
      show = "first";
      // The whole live state would be integrated again on top of the version: when the latest
      // version shares its keyframe, the deltas up to it and what the live document has beyond
      // it (cut in the worker) say the same for a fraction of the work.
      const current = await this.currentState(documentId);
      const tip = await this.store.latest(documentId);
      const tipChain = tip && tip.id !== versionId ? await this.store.chain(documentId, tip.id) : tip ? chain : null;
      if (tip && tipChain && tipChain.parts[0].seq === chain.parts[0].seq) {
        const selectedSeq = chain.parts.at(-1)!.seq;
        second = tipChain.parts.filter((part) => part.seq > selectedSeq).map((part) => part.data);
        live = { state: current, since: tip.stateVector };
      } else {
        second = [current];
      }
      authors.push(...this.recorder.pendingAuthors(documentId));
    } else {
      against = await this.store.previous(documentId, chain.version);
      const previous = against ? await this.store.chain(documentId, against.id) : null;
      const previousSeq = previous?.parts.at(-1)?.seq;
      const sameKeyframe = previous !== null && previous.parts[0].seq === chain.parts[0].seq;
      first = previous?.parts.map((part) => part.data) ?? [];
      // Deltas build on the row before them: after the previous version, only the rows since.
      second = sameKeyframe ? chain.parts.filter((part) => part.seq > previousSeq!).map((part) => part.data) : selected;
      show = "second";
    }
    authors.push(...(await this.clientOwners(documentId)));
    const clientAuthors = new Map<number, string>();
    for (const author of authors) for (const client of author.clientIds) if (!clientAuthors.has(client)) clientAuthors.set(client, author.id);
    const transfer = [...first, ...second, ...(live ? [live.state] : [])].flatMap(ownBuffer);
    const result = (await this.conversions.run({ kind: "versionDiff", first, second, live, show, clientAuthors: [...clientAuthors] }, transfer)) as VersionDiffResult;
    const names = await this.accountNames(authors);
    const people = new Map<string, AuthorJson>();
    for (const author of authors) people.set(author.id, authorJson(author, names));
    return {
      version: this.json(chain.version, names),
      compare,
      against: against ? this.json(against, names) : null,
      title: result.title,
      content: result.content,
      authors: [...people.values()],
    };
  }

  /** Saves the document as it is now as a named version. */
  async saveNamed(documentId: string, name: string): Promise<VersionJson> {
    const room = await this.rooms.acquire(documentId);
    try {
      const version = await this.recorder.makeVersion(room, "named", name);
      return this.json(version!, await this.accountNames(version!.authors));
    } finally {
      this.rooms.release(room);
    }
  }

  /**
   * Makes the live document read like the version again, as a new change on top of it (made
   * in a conversion worker as a minimal diff, applied like a client's update: everyone connected
   * sees it, and the history before it is untouched). Edits not yet in a version are saved in
   * one first, and the result is a version of its own. Throws VersionNotFound, and what
   * applying a change throws (replaceContent.ts).
   */
  async restore(documentId: string, versionId: string, accountId: string | null): Promise<{ restored: VersionJson; version: VersionJson | null; updateBytes: number }> {
    const chain = await this.store.chain(documentId, versionId);
    if (!chain) throw new VersionNotFound();
    // One replacement of a document at a time: two diffed against the same state would both
    // insert their paragraphs.
    return oneAtATime(documentId, () => this.restoreChain(documentId, chain, accountId));
  }

  private async restoreChain(documentId: string, chain: VersionChain, accountId: string | null): Promise<{ restored: VersionJson; version: VersionJson | null; updateBytes: number }> {
    const room = await this.rooms.acquire(documentId);
    try {
      if (this.recorder.hasPendingEdits(documentId)) await this.recorder.makeVersion(room, "auto", null);
      const state = room.encodeState();
      const version = chain.parts.map((part) => part.data);
      const transfer = [...version, state].flatMap(ownBuffer);
      const converted = (await this.conversions.run({ kind: "restoreVersion", version, state }, transfer)) as ImportResult;
      await applyInPieces(room, converted, new ServerEdit("version-restore", accountId));
      const label = chain.version.name ?? `the version of ${chain.version.createdAt.toISOString()}`;
      const made = await this.recorder.makeVersion(room, "restore", `Restored ${label}`);
      const names = await this.accountNames([...chain.version.authors, ...(made?.authors ?? [])]);
      return { restored: this.json(chain.version, names), version: made ? this.json(made, names) : null, updateBytes: converted.updateBytes };
    } finally {
      this.rooms.release(room);
    }
  }

  /** The live document's state: the room's when loaded here, else the stored one. */
  private async currentState(documentId: string): Promise<Uint8Array> {
    return this.rooms.peek(documentId)?.encodeState() ?? (await this.rooms.storage.load(documentId)) ?? new Uint8Array([0, 0]);
  }

  /** Owners of client ids from the attribution table (document_client_owners), for edits no
   *  version recorded an author for (made before history existed, say). Versions' own authors
   *  come first: they are what this document's history saw. */
  private async clientOwners(documentId: string): Promise<VersionAuthor[]> {
    const rows = await this.store.sql.query<{ client_id: string; user_id: string | null; owner_key: string; name: string }>(
      "SELECT client_id::text AS client_id, user_id, owner_key, name FROM document_client_owners WHERE document_id = $1",
      [documentId],
    );
    return rows.map((row) => ({ id: row.user_id ?? row.owner_key, name: row.name, color: null, accountId: row.user_id, clientIds: [Number(row.client_id)] }));
  }

  /** Accounts' current names (a person renamed since is shown by their name now). */
  private async accountNames(authors: VersionAuthor[]): Promise<Map<string, string>> {
    const ids = [...new Set(authors.map((author) => author.accountId).filter((id): id is string => id !== null))];
    if (ids.length === 0) return new Map();
    const rows = await this.store.sql.query<{ id: string; name: string }>("SELECT id, name FROM users WHERE id = ANY($1::text[])", [ids]);
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  private json(version: VersionSummary, names: Map<string, string>): VersionJson {
    const authors = new Map<string, AuthorJson>();
    for (const author of version.authors) authors.set(author.id, authorJson(author, names));
    return { id: version.id, createdAt: version.createdAt.toISOString(), kind: version.kind, name: version.name, authors: [...authors.values()] };
  }
}

function authorJson(author: VersionAuthor, names: Map<string, string>): AuthorJson {
  return {
    id: author.id,
    name: (author.accountId ? names.get(author.accountId) : null) ?? author.name ?? "Someone",
    color: author.color ?? colorForId(author.id),
  };
}
