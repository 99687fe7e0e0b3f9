"use client";
// One browser-side collaboration session per open document: a Y.Doc, its local copy in
// IndexedDB (lib/sync/LocalDocumentCopy.ts), the y-websocket provider that syncs it with
// the server at /collab/<documentId>, the durable-save tracker and the reconnect scheduler.
// Its first socket is usually the page's early one (lib/sync/earlySocket.ts), already synced.
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { CloseCode } from "@/lib/closeCodes";
import { DurableSaveTracker } from "@/lib/sync/DurableSaveTracker";
import { LiveRole } from "@/lib/sync/LiveRole";
import { LiveComments } from "@/lib/sync/LiveComments";
import type { Role } from "@/lib/access/roles";
import { LocalDocumentCopy } from "@/lib/sync/LocalDocumentCopy";
import { ReconnectScheduler } from "@/lib/sync/ReconnectScheduler";
import { AdoptingWebSocket, collabServerUrl } from "@/lib/sync/earlySocket";
import { publishSession, withdrawSession } from "./openSessions";

/** IndexedDB database name of a document's local copy: this prefix + the document id. */
export const LOCAL_COPY_DB_PREFIX = "collab-doc:";

// Close codes after which reconnecting cannot help until something changes (sign in, the
// document is recreated, ...). Everything else, including our 4408 heartbeat timeout and
// 4429 rate limiting (both inside y-websocket's default "permanent" 44xx range), retries.
const PERMANENT_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.BAD_MESSAGE,
  CloseCode.UNAUTHENTICATED,
  CloseCode.FORBIDDEN,
  CloseCode.NOT_FOUND,
  CloseCode.TOO_LARGE,
  CloseCode.DOCUMENT_TRASHED,
  CloseCode.CLIENT_ID_TAKEN,
]);

export interface CollabSession {
  documentId: string;
  ydoc: Y.Doc;
  provider: WebsocketProvider;
  /** The local copy; emits "synced" once it has been loaded into `ydoc`. */
  localCopy: LocalDocumentCopy;
  saveTracker: DurableSaveTracker;
  /** The role the server applies to this socket, live (it changes without a reconnect). */
  liveRole: LiveRole;
  /** The document's comment threads, live, and requests to change them (COMMENT messages). */
  comments: LiveComments;
  reconnect: ReconnectScheduler;
  /** Forgets this device's copy of the document (closing the session's use of it), so the
   *  next session starts from the server's: after edits the server refused. */
  discardLocalCopy(): Promise<void>;
  destroy(): void;
}

export interface CollabCredentials {
  /** A share link's secret, for guests (and stock clients: the server reads `?token=`). */
  token: string | null;
  /** A guest's chosen display name; the server marks it "(guest)". Accounts use their own. */
  guestName: string | null;
  /** The role the page was rendered with (or last heard of); the server's ROLE messages follow. */
  role: Role;
}

/** Performance mark set when a session opens (the page has hydrated). */
export const SESSION_OPENED_MARK = "collab-session-opened";

/** Providers of sessions this page closed itself (left, or replaced by a fresh session). */
const closedByPage = new WeakSet<WebsocketProvider>();

/** True once the page closed `provider`'s session: its socket closing then is no failure. */
export function isClosedByPage(provider: WebsocketProvider): boolean {
  return closedByPage.has(provider);
}

/** Opens a session; call `destroy()` when the document is closed. */
export function openCollabSession(documentId: string, credentials: CollabCredentials): CollabSession {
  // For bench/open.ts and the browser's performance panel: the page has hydrated.
  performance.mark(SESSION_OPENED_MARK);
  const ydoc = new Y.Doc();
  // Loads asynchronously; from then on every change to ydoc is also written locally, so a
  // reload or a browser restart while offline still has the document and its offline edits.
  const localCopy = new LocalDocumentCopy(LOCAL_COPY_DB_PREFIX + documentId, ydoc);
  // connect: false: the tracker must add our subprotocol and ack handler before the first
  // socket opens, and the scheduler (not y-websocket's jitter-free timer) owns reconnecting.
  const params: Record<string, string> = {};
  if (credentials.token) params.token = credentials.token;
  if (credentials.guestName) params.name = credentials.guestName;
  const provider = new WebsocketProvider(collabServerUrl(), documentId, ydoc, {
    connect: false,
    params,
    shouldReconnect: (event) => !PERMANENT_CLOSE_CODES.has(event.code),
    // The first socket may be the one the page's HTML opened already (lib/sync/earlySocket.ts).
    WebSocketPolyfill: AdoptingWebSocket,
  });
  const saveTracker = new DurableSaveTracker(provider);
  const liveRole = new LiveRole(provider, saveTracker, credentials.role);
  const comments = new LiveComments(provider);
  const reconnect = new ReconnectScheduler(provider);
  // Not waiting for the local copy: if IndexedDB is unavailable (some private modes) its
  // "synced" never comes, and the server alone must still work. Whatever loads later is an
  // ordinary local update, sent like any other.
  // Every message handler must be registered above: an adopted early socket hands over the
  // server's first messages (role, acks, whatever it sends at join) right after this call.
  reconnect.start();
  const session: CollabSession = {
    documentId,
    ydoc,
    provider,
    localCopy,
    saveTracker,
    liveRole,
    comments,
    reconnect,
    discardLocalCopy: () => localCopy.clearData(),
    destroy() {
      withdrawSession(session);
      closedByPage.add(provider);
      reconnect.destroy();
      liveRole.destroy();
      comments.destroy();
      saveTracker.destroy();
      // destroy() disconnects, clears awareness (others see us leave) and removes listeners.
      provider.destroy();
      // Closes the IndexedDB connection; the local copy itself stays.
      void localCopy.destroy();
      ydoc.destroy();
    },
  };
  publishSession(session);
  return session;
}

/** True when the document has content or history, i.e. edits made now have context. */
export function hasDocumentContent(ydoc: Y.Doc): boolean {
  return ydoc.store.clients.size > 0;
}

/** Human explanation for a permanent close, shown instead of silently staying offline. */
export function closeReasonMessage(code: number): string {
  switch (code) {
    case CloseCode.UNAUTHENTICATED:
      return "You are not signed in. Reload the page after signing in.";
    case CloseCode.FORBIDDEN:
      return "You no longer have access to this document.";
    case CloseCode.NOT_FOUND:
      return "This document no longer exists.";
    case CloseCode.DOCUMENT_TRASHED:
      return "This document was moved to the Trash. Its owner can restore it from the Trash; until then nobody can open or edit it.";
    case CloseCode.TOO_LARGE:
      return "The document or a change was too large for the server.";
    case CloseCode.BAD_MESSAGE:
      return "The server rejected a message from this page. Reload to reconnect.";
    case CloseCode.CLIENT_ID_TAKEN:
      return "The server refused changes this page made under another person's identity (edits kept on this device from another account). Reload to continue as yourself.";
    default:
      return `The server closed the connection (code ${code}).`;
  }
}
