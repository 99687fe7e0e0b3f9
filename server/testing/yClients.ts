// Real y-websocket clients in Node for integration tests, and small waiting helpers.

import WebSocket from "ws";
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { DurableSaveTracker } from "../../lib/sync/DurableSaveTracker.ts";
import { LiveRole } from "../../lib/sync/LiveRole.ts";
import { ExtensionMessageType } from "../../lib/protocolExtensions.ts";
import type { Role } from "../../lib/access/roles.ts";

/** A stock y-websocket provider on `ws`, with cross-tab BroadcastChannel off so that
 *  clients in one test process can only reach each other through the server. */
export function connectClient(
  wsUrl: string,
  documentId: string,
  doc = new Y.Doc(),
  /** Query parameters of the socket URL, e.g. a share link's `token`. */
  params: Record<string, string> = {},
  /** Headers of the upgrade, e.g. an account's session `cookie` and a same-site `origin`. */
  headers: Record<string, string> | null = null,
): WebsocketProvider {
  return destroyingAwareness(
    new WebsocketProvider(wsUrl, documentId, doc, {
      params,
      WebSocketPolyfill: (headers ? withHeaders(headers) : WebSocket) as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 200,
    }),
  );
}

/** `ws` sending `headers` with its upgrade (y-websocket constructs its socket from the URL alone). */
function withHeaders(headers: Record<string, string>): unknown {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  };
}

/** provider.destroy() leaves its Awareness's 3 s check interval running (it stops only when
 *  the Y.Doc is destroyed), which keeps a test process alive; stop it too. */
function destroyingAwareness(provider: WebsocketProvider): WebsocketProvider {
  const destroy = provider.destroy.bind(provider);
  provider.destroy = () => {
    destroy();
    provider.awareness.destroy();
  };
  return provider;
}

/** Like connectClient, but negotiating our extensions and tracking durable-save acks. */
export function connectTrackedClient(
  wsUrl: string,
  documentId: string,
  doc = new Y.Doc(),
  params: Record<string, string> = {},
): { provider: WebsocketProvider; tracker: DurableSaveTracker } {
  const provider = destroyingAwareness(
    new WebsocketProvider(wsUrl, documentId, doc, {
      params,
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 200,
      connect: false,
    }),
  );
  const tracker = new DurableSaveTracker(provider);
  // Our client also hears its role (ROLE, sent at every join); these stay editors.
  new LiveRole(provider, tracker, "editor");
  ignoreComments(provider);
  provider.connect();
  return { provider, tracker };
}

/** Like the browser's session (app/d/[id]/collabSession.ts): our extensions, durable-save acks
 *  and the live role, starting from `role` (what the page would have been rendered with). */
export function connectAppClient(
  wsUrl: string,
  documentId: string,
  { doc = new Y.Doc(), params = {}, headers = null, role = "editor" }: { doc?: Y.Doc; params?: Record<string, string>; headers?: Record<string, string> | null; role?: Role } = {},
): { provider: WebsocketProvider; tracker: DurableSaveTracker; liveRole: LiveRole } {
  const provider = destroyingAwareness(
    new WebsocketProvider(wsUrl, documentId, doc, {
      params,
      WebSocketPolyfill: (headers ? withHeaders(headers) : WebSocket) as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 200,
      connect: false,
    }),
  );
  const tracker = new DurableSaveTracker(provider);
  const liveRole = new LiveRole(provider, tracker, role);
  ignoreComments(provider);
  provider.connect();
  return { provider, tracker, liveRole };
}

/** The extensions include the comment threads, sent at every join: a client that does not show
 *  them reads past them (lib/sync/LiveComments.ts, constructed later, takes the frame over). */
function ignoreComments(provider: WebsocketProvider): void {
  provider.messageHandlers[ExtensionMessageType.COMMENT] = () => {};
}

/** Resolves when the provider has completed its first sync with the server. */
export function synced(provider: WebsocketProvider, timeoutMs = 10_000): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return withTimeout(
    new Promise<void>((resolve) => {
      const onSync = (isSynced: boolean) => {
        if (!isSynced) return;
        provider.off("sync", onSync);
        resolve();
      };
      provider.on("sync", onSync);
    }),
    timeoutMs,
    "provider sync",
  );
}

/** Polls `predicate` until true; rejects with `what` after `timeoutMs`. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    }),
  ]);
}

/** Opens a raw ws socket and resolves with it once open. */
export function openRawSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Resolves with the close code of `socket`. */
export function closeCode(socket: WebSocket, timeoutMs = 5_000): Promise<number> {
  return withTimeout(
    new Promise((resolve) => socket.once("close", (code) => resolve(code))),
    timeoutMs,
    "socket close",
  );
}

/** Upgrade status of a socket attempt: 101 when it opened, else the HTTP status it was refused with. */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once("open", () => {
      socket.close();
      resolve(101);
    });
    socket.once("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once("error", (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}
