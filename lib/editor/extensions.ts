// The editor schema: one extension list for the browser editor and for server-side work
// (export, import, validation) so both agree on exactly which nodes and marks exist.
import { getSchema, type Extensions } from "@tiptap/core";
import type { Schema } from "@tiptap/pm/model";
import StarterKit from "@tiptap/starter-kit";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { TaskItem, TaskList } from "@tiptap/extension-list";
import Highlight from "@tiptap/extension-highlight";
import type { Doc } from "yjs";
import type { Awareness } from "y-protocols/awareness";
import { safeLink } from "./safeLink.ts";
import { imageNode } from "./imageNode.ts";
import { mentionNode } from "./mentionNode.ts";
import { codeBlock } from "./codeBlock.ts";
import { tableExtensions } from "./table.ts";
import { YjsUndoKeys } from "./undoKeys.ts";

/** Name of the Y.XmlFragment in each document's Y.Doc that holds the editor content. */
export const EDITOR_FRAGMENT_NAME = "default";

/** Heading levels of the schema: a document needs three; more only invite skipped levels. */
export const HEADING_LEVELS = [1, 2, 3] as const;
export type HeadingLevel = (typeof HEADING_LEVELS)[number];

/** What a user shows to others: caret label and presence entry. Colour must be #rrggbb. */
export interface CollabUser {
  name: string;
  color: string;
}

export interface CollaborationBinding {
  document: Doc;
  /** Anything with a y-protocols Awareness (y-websocket's WebsocketProvider in the browser). */
  provider: { awareness: Awareness };
  user: CollabUser;
  /** Builds a remote caret's DOM (browser); the extension's default when omitted. */
  renderCaret?: (user: Record<string, unknown>) => HTMLElement;
  /** Editor-only extensions (placeholder, counts, menus): they add no node, mark or attribute. */
  extra?: Extensions;
}

/** The awareness `user` field we publish: the identity plus our client id, which lets remote
 *  views find and refresh our caret when we rename ourselves (see lib/editor/carets.ts). */
export function awarenessUser(user: CollabUser, document: Doc): CollabUser & { clientId: number } {
  return { name: user.name, color: user.color, clientId: document.clientID };
}

/** The nodes and marks of documents, one entry per line (other files register theirs here). */
function schemaExtensions(): Extensions {
  return [
    // StarterKit's history must be off under Collaboration, which brings Yjs's per-user undo.
    // Its Link trusts every attribute in the document; safeLink replaces it. Its code block
    // has no highlighting; ours (same name and Markdown) has.
    StarterKit.configure({ undoRedo: false, link: false, codeBlock: false, heading: { levels: [...HEADING_LEVELS] } }),
    safeLink,
    codeBlock,
    ...tableExtensions,
    TaskList,
    TaskItem.configure({ nested: true }),
    Highlight,
    imageNode,
    mentionNode,
  ];
}

/**
 * The editor's extensions. Without `collab` this is the bare schema (server use); with it,
 * the content is bound to the Y.Doc and carets are shared through awareness.
 */
export function createEditorExtensions(collab?: CollaborationBinding): Extensions {
  const schema = schemaExtensions();
  if (!collab) return schema;
  return [
    ...schema,
    ...(collab.extra ?? []),
    Collaboration.configure({ document: collab.document, field: EDITOR_FRAGMENT_NAME }),
    YjsUndoKeys,
    CollaborationCaret.configure({
      provider: collab.provider,
      user: awarenessUser(collab.user, collab.document),
      ...(collab.renderCaret ? { render: collab.renderCaret } : {}),
    }),
  ];
}

/** The ProseMirror schema of documents, for server-side conversion of Yjs content. */
export function createEditorSchema(): Schema {
  return getSchema(createEditorExtensions());
}
