// Opening a document's collab socket before the page's scripts have loaded. The editor's
// session (app/d/[id]/collabSession.ts) starts only once React has hydrated the page, several
// hundred milliseconds after the HTML arrived; the sync round trip (authentication, the
// document's load, its content) then started late. The page's HTML carries a tiny inline
// script (earlySocketScript) that opens the socket at once, asks for the content (sync step 1
// with an empty state vector) and keeps what arrives; the provider then adopts that socket
// (AdoptingWebSocket, its WebSocket class) and reads the kept messages as if they had just
// arrived, so the Y.Doc has the content before the editor is created.
//
// Nothing else changes: the provider still sends its own step 1 (with what the local copy
// holds) and awareness when it adopts the socket, so the server's answers are those of any
// connection. A socket that closed before it was adopted (refused, offline) is not adopted:
// the provider opens its own and meets the same close code as before.
import { COLLAB_PATH_PREFIX, MessageType } from "../messageType.ts";

/** Where the inline script leaves its sockets, by URL, for the provider to adopt. */
const REGISTRY = "__collabEarlySockets";

/** y-protocols sync step 1 with an empty state vector: "send me the whole document". */
const EMPTY_SYNC_STEP_1 = [MessageType.SYNC, 0, 1, 0];

/** An early socket nobody adopted (the page failed to start, a guest still naming
 *  themselves) is closed after this long, leaving the server nothing idle to keep. */
const UNADOPTED_CLOSE_MS = 15_000;

interface EarlySocket {
  socket: WebSocket;
  protocols: string[];
  /** Messages received before adoption, in order. */
  messages: MessageEvent[];
  adopted: boolean;
}

type Registry = Record<string, EarlySocket>;

/** The collab WebSocket base URL on this page's origin; the provider appends "/<room>". */
export function collabServerUrl(): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${COLLAB_PATH_PREFIX.slice(0, -1)}`;
}

/** The query y-websocket appends for `params` (lib0's encodeQueryParams), "" for none. */
export function collabQuery(params: Record<string, string>): string {
  const query = Object.entries(params)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join("&");
  return query ? `?${query}` : "";
}

// Runs in the page as it is parsed, stringified into the inline script: self-contained, no
// imports, and nothing that throws out of it (a page without this script works as before).
function openEarlySocket(registryName: string, path: string, protocols: string[], firstFrame: number[], unadoptedCloseMs: number): void {
  try {
    const url = (location.protocol === "https:" ? "wss" : "ws") + "://" + location.host + path;
    const socket = new WebSocket(url, protocols);
    socket.binaryType = "arraybuffer";
    const early = { socket, protocols, messages: [] as MessageEvent[], adopted: false };
    socket.addEventListener("open", () => {
      if (!early.adopted) socket.send(new Uint8Array(firstFrame));
    });
    socket.addEventListener("message", (event) => {
      if (!early.adopted) early.messages.push(event);
    });
    setTimeout(() => {
      if (!early.adopted) socket.close(1000);
    }, unadoptedCloseMs);
    const registry = ((window as unknown as Record<string, Registry>)[registryName] ??= {});
    registry[url] = early;
  } catch {
    // No early socket: the provider opens its own.
  }
}

/** The inline script opening the socket of `documentId` (with a share link's `token`). */
export function earlySocketScript(documentId: string, params: Record<string, string>, protocols: string[]): string {
  // As y-websocket builds it: the room name as it is (document ids are URL-safe).
  const path = `${COLLAB_PATH_PREFIX}${documentId}${collabQuery(params)}`;
  const args = [REGISTRY, path, protocols, EMPTY_SYNC_STEP_1, UNADOPTED_CLOSE_MS].map((arg) => JSON.stringify(arg)).join(",");
  // JSON in a script element: "<" escaped so no value can close the element.
  return `(${openEarlySocket.toString()})(${args.replace(/</g, "\\u003c")});`;
}

/** Takes the early socket for `url` if it is still usable, else null. */
function adopt(url: string, protocols: string[]): WebSocket | null {
  const registry = (window as unknown as Record<string, Registry | undefined>)[REGISTRY];
  const early = registry?.[url];
  if (!early || early.adopted) return null;
  delete registry[url];
  early.adopted = true;
  const { socket, messages } = early;
  const usable = early.protocols.join() === protocols.join() && (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN);
  if (!usable) {
    socket.close(1000);
    return null;
  }
  // The adopter sets its handlers right after construction; hand it what happened so far
  // then, before any later event (a microtask runs before the next message's task).
  queueMicrotask(() => {
    if (socket.readyState === WebSocket.OPEN) socket.onopen?.(new Event("open"));
    for (const message of messages) {
      if (socket.readyState !== WebSocket.OPEN) break;
      socket.onmessage?.(message);
    }
  });
  return socket;
}

/**
 * The provider's WebSocket class (y-websocket's WebSocketPolyfill option): the page's early
 * socket for the same URL and subprotocols the first time, a new WebSocket otherwise.
 */
export const AdoptingWebSocket = function AdoptingWebSocket(url: string | URL, protocols?: string | string[]): WebSocket {
  const list = protocols === undefined ? [] : Array.isArray(protocols) ? protocols : [protocols];
  return adopt(String(url), list) ?? new WebSocket(url, protocols);
} as unknown as typeof WebSocket;
Object.assign(AdoptingWebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
