// Test helpers for comments: a real app client (our extensions) that also speaks COMMENT, and
// documents with text to anchor to. Used by the comments tests and the benchmark.
import * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import { connectAppClient, synced } from "./yClients.ts";
import { LiveComments } from "../../lib/sync/LiveComments.ts";
import type { Role } from "../../lib/access/roles.ts";
import { EDITOR_FRAGMENT_NAME } from "../../lib/editor/extensions.ts";

export interface CommentClient {
  provider: WebsocketProvider;
  doc: Y.Doc;
  comments: LiveComments;
  close(): void;
}

/** Connects like the browser (cookie and/or link token), synced, with the comment list loaded. */
export async function connectCommentClient(
  wsBase: string,
  documentId: string,
  { cookie, token, role = "editor", name }: { cookie?: string; token?: string; role?: Role; name?: string },
): Promise<CommentClient> {
  const doc = new Y.Doc();
  const params: Record<string, string> = {};
  if (token) params.token = token;
  if (name) params.name = name;
  const client = connectAppClient(wsBase, documentId, { doc, params, headers: cookie ? { cookie } : null, role });
  const comments = new LiveComments(client.provider);
  await synced(client.provider);
  const deadline = Date.now() + 10_000;
  while (!comments.loaded) {
    if (Date.now() > deadline) throw new Error("comment list never arrived");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return {
    provider: client.provider,
    doc,
    comments,
    close() {
      comments.destroy();
      client.provider.destroy();
      doc.destroy();
    },
  };
}

/** Appends a paragraph holding `text` to the editor content of `doc`. */
export function addParagraph(doc: Y.Doc, text: string): Y.XmlText {
  const paragraph = new Y.XmlElement("paragraph");
  const content = new Y.XmlText();
  paragraph.insert(0, [content]);
  doc.getXmlFragment(EDITOR_FRAGMENT_NAME).push([paragraph]);
  content.insert(0, text);
  return content;
}

/** The anchor a browser would send for `text` inside `node` (base64 relative positions). */
export function anchorIn(node: Y.XmlText, text: string): { start: string; end: string } {
  const index = node.toString().indexOf(text);
  if (index < 0) throw new Error(`"${text}" is not in the paragraph`);
  const encode = (position: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(position)).toString("base64");
  return { start: encode(Y.createRelativePositionFromTypeIndex(node, index, 0)), end: encode(Y.createRelativePositionFromTypeIndex(node, index + text.length, -1)) };
}

/** The first paragraph's text node of a synced client's document. */
export function firstText(doc: Y.Doc): Y.XmlText {
  const paragraph = doc.getXmlFragment(EDITOR_FRAGMENT_NAME).get(0) as Y.XmlElement;
  return paragraph.get(0) as Y.XmlText;
}
