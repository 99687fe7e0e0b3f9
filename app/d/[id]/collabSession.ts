"use client";
// One browser-side collaboration session per open document: a Y.Doc and the y-websocket
// provider that syncs it with the server at /collab/<documentId>.
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { CloseCode } from "@/lib/closeCodes";

/** Longest wait between reconnect attempts (y-websocket backs off exponentially up to this). */
export const MAX_RECONNECT_BACKOFF_MS = 5_000;

// Close codes after which reconnecting cannot help until something changes (sign in, the
// document is recreated, ...). Everything else, including our 4408 heartbeat timeout and
// 4429 rate limiting (both inside y-websocket's default "permanent" 44xx range), retries.
const PERMANENT_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.BAD_MESSAGE,
  CloseCode.UNAUTHENTICATED,
  CloseCode.FORBIDDEN,
  CloseCode.NOT_FOUND,
  CloseCode.TOO_LARGE,
]);

export interface CollabSession {
  documentId: string;
  ydoc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

/** The collab WebSocket base URL on this page's origin; the provider appends "/<room>". */
export function collabServerUrl(): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/collab`;
}

/** Opens a session; call `destroy()` when the document is closed. */
export function openCollabSession(documentId: string): CollabSession {
  const ydoc = new Y.Doc();
  const provider = new WebsocketProvider(collabServerUrl(), documentId, ydoc, {
    maxBackoffTime: MAX_RECONNECT_BACKOFF_MS,
    shouldReconnect: (event) => !PERMANENT_CLOSE_CODES.has(event.code),
  });
  return {
    documentId,
    ydoc,
    provider,
    destroy() {
      // destroy() disconnects, clears awareness (others see us leave) and removes listeners.
      provider.destroy();
      ydoc.destroy();
    },
  };
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
    case CloseCode.TOO_LARGE:
      return "The document or a change was too large for the server.";
    case CloseCode.BAD_MESSAGE:
      return "The server rejected a message from this page. Reload to reconnect.";
    default:
      return `The server closed the connection (code ${code}).`;
  }
}
