// The collab server: WebSocket upgrades on /collab/<documentId>, speaking the y-websocket
// protocol. Usable inside the app's process (server/main.ts) or alone on any http.Server.

import { metrics } from "../metrics/metrics.ts";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { CloseCode } from "../../lib/closeCodes.ts";
import { isValidDocumentId } from "../../lib/documentId.ts";
import { COLLAB_PATH_PREFIX } from "../../lib/messageType.ts";
import { EXTENSION_SUBPROTOCOL } from "../../lib/protocolExtensions.ts";
import { log as defaultLog, type Logger } from "../log.ts";
import { Connection } from "./Connection.ts";
import { DEFAULT_LIMITS, type CollabLimits } from "./limits.ts";
import { Admission } from "./Admission.ts";
import { SocketSession } from "./SocketSession.ts";
import type { Authorship } from "../attribution/Authorship.ts";
import { Rooms } from "./Rooms.ts";
import type { DocumentStorage } from "./storage/DocumentStorage.ts";
import type { Fanout } from "./fanout/Fanout.ts";
import type { CollabAccessPolicy } from "./access.ts";
import { AccessWatch } from "./AccessWatch.ts";
import { refuseUpgrade } from "../http/refuseUpgrade.ts";
import type { RoomObserver } from "./RoomObserver.ts";
import type { CollabComments } from "./CollabComments.ts";

/** An upgrade whose authorisation (database lookups) takes longer is refused with 503. */
export const AUTHORIZE_TIMEOUT_MS = 10_000;

/** How long shutdown waits for clients to acknowledge the close before terminating them. */
export const SHUTDOWN_CLOSE_WAIT_MS = 2_000;

export interface CollabServerOptions {
  storage: DocumentStorage;
  /** Who may connect, with which role; asked at every upgrade before anything is loaded. */
  access: CollabAccessPolicy;
  /** Per-connection, per-address, per-document and per-process limits; defaults in limits.ts. */
  limits?: Partial<CollabLimits>;
  /** Cross-instance fan-out (Redis); omit for a single instance. */
  fanout?: Fanout;
  /** When given, the server attaches its own `upgrade` listener for /collab/ paths. */
  server?: Server;
  maxPayloadBytes?: number;
  pingIntervalMs?: number;
  /** The client's address for per-address limits (behind a proxy, from X-Forwarded-For);
   *  the socket's address when omitted. */
  clientAddress?: (request: IncomingMessage) => string;
  log?: Logger;
  /** Told of every room's load, changes and unload (the documents row's projection). */
  roomObserver?: RoomObserver;
  /** Comment requests and threads for joiners (server/comments/); without it, requests are refused. */
  comments?: CollabComments;
  /** Records and enforces which person owns each Yjs client id (omit: no attribution). */
  authorship?: Authorship;
}

export interface CollabServer {
  /** Handles an upgrade if its path is /collab/...; returns false to let others handle it. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Loaded documents. */
  readonly rooms: Rooms;
  /** Open WebSocket connections. */
  readonly connectionCount: number;
  /** Stops accepting, commits every pending write, closes sockets with 1012. */
  close(): Promise<void>;
}

/** Parses `/collab/<documentId>?...`; null when the path is not ours. */
function documentIdFromUrl(url: string | undefined): string | null | undefined {
  if (!url) return null;
  const path = url.split("?", 1)[0];
  if (!path.startsWith(COLLAB_PATH_PREFIX)) return null;
  const id = decodeURIComponentSafe(path.slice(COLLAB_PATH_PREFIX.length));
  return id !== null && isValidDocumentId(id) ? id : undefined;
}

function decodeURIComponentSafe(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}


/** Creates the collab server; see CollabServerOptions. What it wires: admission at each
 *  upgrade (Admission), authorisation (options.access), one SocketSession per socket, the
 *  heartbeat, access changes reaching open sockets (AccessWatch) and shutdown. */
export function createCollabServer(options: CollabServerOptions): CollabServer {
  const log = options.log ?? defaultLog;
  const limits: CollabLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const rooms = new Rooms({
    storage: options.storage,
    log,
    limits,
    fanout: options.fanout,
    observer: options.roomObserver,
    comments: options.comments,
    authorship: options.authorship,
  });
  const admission = new Admission(limits, rooms);
  const connections = new Set<Connection>();
  const removeGaugeSource = metrics.addCollabGaugeSource({ connections: () => connections.size, loadedDocuments: () => rooms.size });
  let closing = false;
  // Revocations and lowered roles reach open sockets; expiring links close theirs.
  const accessWatch = new AccessWatch(options.access, connections, log, (connection) => rooms.peek(connection.documentId)?.roleChanged(connection));

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayloadBytes ?? 16 * 1024 * 1024,
    perMessageDeflate: false,
    // Extensions only for clients that ask for them; stock clients get the classic protocol.
    handleProtocols: (protocols) => (protocols.has(EXTENSION_SUBPROTOCOL) ? EXTENSION_SUBPROTOCOL : false),
  });

  const heartbeat = setInterval(() => {
    for (const connection of connections) connection.heartbeat();
  }, options.pingIntervalMs ?? 30_000);
  heartbeat.unref();

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const documentId = documentIdFromUrl(request.url);
    if (documentId === null) return false;
    socket.on("error", () => socket.destroy());
    if (closing) {
      refuseUpgrade(socket, 503);
      return true;
    }
    if (documentId === undefined) {
      refuseUpgrade(socket, 400);
      return true;
    }
    const address = options.clientAddress?.(request) ?? request.socket.remoteAddress ?? "unknown";
    const admitted = admission.admit(documentId, address, socket);
    if (typeof admitted === "number") {
      refuseUpgrade(socket, admitted);
      return true;
    }
    void authorizeThenUpgrade(request, socket, head, documentId, () => admitted.end());
    return true;
  }

  async function authorizeThenUpgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    documentId: string,
    endAdmission: () => void,
  ): Promise<void> {
    let authorization;
    let timer: NodeJS.Timeout | undefined;
    try {
      // Until it is authorised the socket is not read by ws; bound how long it can sit there.
      authorization = await Promise.race([
        options.access.authorize(request, documentId),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("authorisation timed out")), AUTHORIZE_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      log.error("authorization failed", { documentId, error: String(error) });
      endAdmission();
      refuseUpgrade(socket, 503);
      return;
    } finally {
      clearTimeout(timer);
    }
    if (!authorization.ok) {
      log.info("upgrade refused", { documentId, status: authorization.status, reason: authorization.reason });
      endAdmission();
      refuseUpgrade(socket, authorization.status);
      return;
    }
    // The client may have gone (or the server begun closing) while we looked it up.
    if (socket.destroyed || closing) {
      endAdmission();
      refuseUpgrade(socket, 503);
      return;
    }
    const { grant } = authorization;
    wss.handleUpgrade(request, socket, head, (ws) => {
      const connection = new Connection(ws, socket, documentId, limits, grant);
      connections.add(connection);
      new SocketSession(connection, rooms, limits, log, admission.hold(documentId), () => connections.delete(connection));
      // The session asked `rooms` for the document: counted there (and as held) now.
      endAdmission();
      accessWatch.watchExpiry(connection);
    });
  }



  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    handleUpgrade(request, socket, head);
  };
  options.server?.on("upgrade", onUpgrade);

  async function close(): Promise<void> {
    closing = true;
    removeGaugeSource();
    clearInterval(heartbeat);
    accessWatch.stop();
    options.server?.off("upgrade", onUpgrade);
    const closed = [...connections].map(
      (connection) => new Promise<void>((resolve) => {
        connection.socket.once("close", () => resolve());
        connection.close(CloseCode.SERVER_RESTARTING, "server restarting");
      }),
    );
    // Frames already received are still delivered until the socket closes; wait for them
    // (bounded, a dead peer must not hold up shutdown) so they are part of the final flush.
    await Promise.race([Promise.all(closed), delay(SHUTDOWN_CLOSE_WAIT_MS)]);
    for (const connection of connections) connection.socket.terminate();
    await rooms.close();
    wss.close();
  }

  return {
    handleUpgrade,
    rooms,
    get connectionCount() {
      return connections.size;
    },
    close,
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
