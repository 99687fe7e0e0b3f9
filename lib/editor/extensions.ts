// The editor schema: one extension list for the browser editor and for server-side work
// (export, import, validation) so both agree on exactly which nodes and marks exist.
import { getSchema, type Extensions } from "@tiptap/core";
import type { Schema } from "@tiptap/pm/model";
import StarterKit from "@tiptap/starter-kit";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import type { Doc } from "yjs";
import type { Awareness } from "y-protocols/awareness";
import { safeLink } from "./safeLink.ts";

/** Name of the Y.XmlFragment in each document's Y.Doc that holds the editor content. */
export const EDITOR_FRAGMENT_NAME = "default";

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
}

/** The awareness `user` field we publish: the identity plus our client id, which lets remote
 *  views find and refresh our caret when we rename ourselves (see lib/editor/carets.ts). */
export function awarenessUser(user: CollabUser, document: Doc): CollabUser & { clientId: number } {
  return { name: user.name, color: user.color, clientId: document.clientID };
}

/**
 * The editor's extensions. Without `collab` this is the bare schema (server use); with it,
 * the content is bound to the Y.Doc and carets are shared through awareness.
 */
export function createEditorExtensions(collab?: CollaborationBinding): Extensions {
  // StarterKit's history must be off under Collaboration, which brings Yjs's per-user undo.
  // Its Link trusts every attribute in the document; safeLink replaces it.
  const starterKit = StarterKit.configure({ undoRedo: false, link: false });
  if (!collab) return [starterKit, safeLink];
  return [
    starterKit,
    safeLink,
    Collaboration.configure({ document: collab.document, field: EDITOR_FRAGMENT_NAME }),
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
