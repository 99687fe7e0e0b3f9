// The version history's work that reads whole documents, run in the conversion workers
// (server/documents/conversion/) like export and import, so it never blocks the event loop:
// a version beside another with what changed marked (versionDiff), and the updates that make
// the live document read like a version again (restoreVersion).
import * as Y from "yjs";
import { isVisible, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import type { JSONContent } from "@tiptap/core";
import { documentSchema } from "../../lib/editor/documentFormats.ts";
import { EDITOR_FRAGMENT_NAME } from "../../lib/editor/extensions.ts";
import { documentTitleText } from "../../lib/editor/documentTitleText.ts";
import { updatesTowards, type ImportResult } from "../documents/conversion/conversionTasks.ts";
import { rebuild } from "./versionData.ts";
import { HISTORY_CHANGE_MARK, type HistoryChange } from "../../lib/history/historyChange.ts";

/**
 * Two states of a document and what changed between them. `first` are updates (a version's
 * keyframe and deltas), `second` more updates applied after them (a later version's deltas, or
 * the live document's state): order matters, since the first must keep the content the second
 * deleted. `show` says which of the two is displayed; the other is the base its changes are
 * marked against (text only the shown one has is "added", text only the base has "removed").
 */
export interface VersionDiffTask {
  kind: "versionDiff";
  first: Uint8Array[];
  second: Uint8Array[];
  show: "first" | "second";
  /** Applied after `second`: what the live document `state` has beyond the state vector
   *  `since` (the latest version's, which `first` and `second` reach). */
  live?: { state: Uint8Array; since: Uint8Array };
  /** Which person each Yjs client id belongs to (author ids), for colouring changes. */
  clientAuthors: [number, string][];
}

export interface VersionDiffResult {
  kind: "versionDiff";
  /** The shown state as editor JSON, with HISTORY_CHANGE_MARK on changed text and a
   *  `historyChange` attribute on added or removed nodes. */
  content: JSONContent;
  title: string;
}

/** The updates that make the live document (`state`) read like the version `version` (its
 *  keyframe and deltas): content and title, as a minimal forward change. */
export interface RestoreVersionTask {
  kind: "restoreVersion";
  version: Uint8Array[];
  state: Uint8Array;
}

export type HistoryTask = VersionDiffTask | RestoreVersionTask;
export type HistoryResult = VersionDiffResult | ImportResult;

export function runHistoryTask(task: HistoryTask): HistoryResult {
  return task.kind === "versionDiff" ? versionDiff(task) : restoreVersion(task);
}

function restoreVersion({ version, state }: RestoreVersionTask): ImportResult {
  const doc = rebuild(version);
  try {
    const content = yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(EDITOR_FRAGMENT_NAME), documentSchema());
    return updatesTowards(state, content, documentTitleText(doc).toString());
  } finally {
    doc.destroy();
  }
}

function versionDiff({ first, second, live, show, clientAuthors }: VersionDiffTask): VersionDiffResult {
  // gc off: what the second state deleted keeps its content, so it can be shown as removed.
  const doc = rebuild(first, { gc: false });
  try {
    const earlier = Y.snapshot(doc);
    for (const update of second) Y.applyUpdate(doc, update);
    if (live) Y.applyUpdate(doc, Y.diffUpdate(live.state, live.since));
    const later = Y.snapshot(doc);
    const [shown, base] = show === "first" ? [earlier, later] : [later, earlier];
    const authors = new Map(clientAuthors);
    const walk = new DiffWalk(shown, base, Y.createSnapshot(earlier.ds, later.sv), (client) => authors.get(client) ?? null);
    const content: JSONContent = { type: "doc", content: walk.children(doc.getXmlFragment(EDITOR_FRAGMENT_NAME)) };
    const title = textIn(documentTitleText(doc), shown);
    return { kind: "versionDiff", content, title };
  } finally {
    doc.destroy();
  }
}

/** Editor JSON of a Yjs XML tree as of `shown`, with what `base` had instead marked. */
class DiffWalk {
  constructor(
    private readonly shown: Y.Snapshot,
    private readonly base: Y.Snapshot,
    /** Everything either side has (the earlier side's deletions, the later side's structs). */
    private readonly either: Y.Snapshot,
    private readonly authorOf: (client: number) => string | null,
  ) {}

  children(parent: Y.XmlFragment | Y.XmlElement): JSONContent[] {
    const nodes: JSONContent[] = [];
    for (const child of Y.typeListToArraySnapshot(parent, this.either) as (Y.XmlElement | Y.XmlText)[]) {
      const item = child._item;
      if (!item) continue;
      const inShown = isVisible(item, this.shown);
      const inBase = isVisible(item, this.base);
      if (!inShown && !inBase) continue; // made and deleted between the two
      if (child instanceof Y.XmlText) {
        nodes.push(...this.text(child));
        continue;
      }
      const attrs = { ...child.getAttributes(inShown ? this.shown : this.base) } as Record<string, unknown>;
      const change: HistoryChange | null = !inShown ? "removed" : !inBase ? "added" : null;
      if (change) attrs.historyChange = change;
      const node: JSONContent = { type: child.nodeName, attrs };
      const content = this.children(child);
      if (content.length > 0) node.content = content;
      nodes.push(node);
    }
    return nodes;
  }

  private text(text: Y.XmlText): JSONContent[] {
    const computeChange = (type: "added" | "removed", id: Y.ID) => ({ type, user: id.client });
    const delta = text.toDelta(this.shown, this.base, computeChange) as { insert: unknown; attributes?: Record<string, unknown> }[];
    const nodes: JSONContent[] = [];
    for (const op of delta) {
      if (typeof op.insert !== "string" || op.insert === "") continue;
      const marks: NonNullable<JSONContent["marks"]> = [];
      for (const [name, value] of Object.entries(op.attributes ?? {})) {
        if (name === "ychange") {
          const change = value as { type: HistoryChange; user: number };
          marks.push({ type: HISTORY_CHANGE_MARK, attrs: { change: change.type, author: this.authorOf(change.user) } });
        } else {
          // y-prosemirror stores a mark that may repeat (overlapping links) as name--hash.
          marks.push({ type: name.split("--")[0], attrs: (value ?? {}) as Record<string, unknown> });
        }
      }
      nodes.push(marks.length > 0 ? { type: "text", text: op.insert, marks } : { type: "text", text: op.insert });
    }
    return nodes;
  }
}

/** A Y.Text's content as of `snapshot`. */
function textIn(text: Y.Text, snapshot: Y.Snapshot): string {
  return (text.toDelta(snapshot) as { insert: unknown }[]).map((op) => (typeof op.insert === "string" ? op.insert : "")).join("");
}
