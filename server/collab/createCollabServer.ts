// The collab server: WebSocket upgrades on /collab/<documentId>, speaking the y-websocket
// protocol. Usable inside the app's process (server/main.ts) or alone on any http.Server.

import { metrics } from "../metrics/metrics.ts";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData } from "ws";
import { CloseCode } from "../../lib/closeCodes.ts";
import { isValidDocumentId } from "../../lib/documentId.ts";
import { COLLAB_PATH_PREFIX } from "../../lib/messageType.ts";
import { EXTENSION_SUBPROTOCOL } from "../../lib/protocolExtensions.ts";
import { log as defaultLog, type Logger } from "../log.ts";
import { Connection } from "./Connection.ts";
import { decodeMessage } from "./protocol.ts";
import { CloseError, ProtocolError } from "./CloseError.ts";
import { DEFAULT_LIMITS, type CollabLimits } from "./limits.ts";
import { AddressLimiter } from "./AddressLimiter.ts";
import type { Room } from "./Room.ts";
import type { Authorship } from "../attribution/Authorship.ts";
import { Rooms } from "./Rooms.ts";
import type { DocumentStorage } from "./storage/DocumentStorage.ts";
import type { Fanout } from "./fanout/Fanout.ts";
import type { CollabAccessPolicy } from "./access.ts";
import { AccessWatch } from "./AccessWatch.ts";
import { refuseUpgrade } from "../http/refuseUpgrade.ts";
import type { RoomObserver } from "./RoomObserver.ts";
import type { CollabComments } from "./CollabComments.ts";

/** Frames accepted before a document has finished loading; beyond this the client is misbehaving. */
export const MAX_FRAMES_BEFORE_LOAD = 1_000;

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


/** Creates the collab server; see CollabServerOptions. */
export function createCollabServer(options: CollabServerOptions): CollabServer {
  const log = options.log ?? defaultLog;
  const limits: CollabLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const rooms = new Rooms(options.storage, log, limits, options.fanout ?? null, options.roomObserver ?? null);
  rooms.comments = options.comments ?? null;
  rooms.authorship = options.authorship ?? null;
  /** Sockets admitted per document (upgrading or open). */
  const clientsPerDocument = new Map<string, number>();
  const addresses = new AddressLimiter(limits.maxConnectionsPerIp, limits.newConnectionsPerIpPerMinute);
  const connections = new Set<Connection>();
  const removeGaugeSource = metrics.addCollabGaugeSource({ connections: () => connections.size, loadedDocuments: () => rooms.size });
  let closing = false;
  // maxLoadedDocuments counts a document from the upgrade that admits it, not from its load:
  // authorisation is asynchronous, and every upgrade checked before the first load began
  // would otherwise pass (with a 20 ms authorisation, 101 documents loaded against a cap of 50).
  /** Upgrades per document admitted and not yet holding a room (authorising, upgrading). */
  const admitting = new Map<string, number>();
  /** Connections per document between rooms.acquire and rooms.release (loading or loaded). */
  const holding = new Map<string, number>();
  /** Documents loaded or loading, plus those reserved by upgrades still being admitted. */
  const documentsCounted = (): number => {
    let reserved = 0;
    for (const documentId of admitting.keys()) if (!holding.has(documentId) && !rooms.peek(documentId)) reserved++;
    return rooms.size + reserved;
  };
  // Revocations and lowered roles reach open sockets; expiring links close theirs.
  const accessWatch = new AccessWatch(options.access, connections, log);
  /** Connections waiting for a document's load, told its stored state as soon as it is read. */
  const storedStateWaiters = new Map<string, Set<(stateFrame: Uint8Array) => void>>();
  rooms.onStoredState = (documentId, stateFrame) => {
    for (const serve of storedStateWaiters.get(documentId) ?? []) serve(stateFrame);
  };

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayloadBytes ?? 16 * 1024 * 1024,
    perMessageDeflate: false,
    // Extensions only for clients that ask for them; stock clients get the classic protocol.
    handleProtocols: (protocols) => (protocols.has(EXTENSION_SUBPROTOCOL) ? EXTENSION_SUBPROTOCOL : false),
  });

  const heartbeat = setInterval(() => {
    for (const connection of connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }, options.pingIntervalMs ?? 30_000);
  heartbeat.unref();

  function onConnection(connection: Connection): void {
    const { socket, documentId } = connection;
    connections.add(connection);
    let room: Room | null = null;
    // Frames that arrive while the document loads are kept and replayed in order.
    const early: RawData[] = [];
    // A y-websocket client sends sync step 1 as soon as it opens; silence means a dead or
    // hostile peer holding a slot.
    let firstMessageTimer: NodeJS.Timeout | null = setTimeout(
      () => connection.close(CloseCode.TIMEOUT, "no message"),
      limits.firstMessageTimeoutMs,
    );

    // While the document loads: a new client (empty state vector) is answered from the stored
    // state as soon as it is read, instead of after the document is built (see Rooms).
    let storedStateFrame: Uint8Array | null = null;
    const answerFromStoredState = (data: RawData): boolean => {
      if (!storedStateFrame || connection.servedStoredState || !isEmptySyncStep1(data)) return false;
      connection.send(storedStateFrame);
      connection.servedStoredState = true;
      return true;
    };
    const waiter = (stateFrame: Uint8Array) => {
      storedStateFrame = stateFrame;
      const index = early.findIndex((data) => isEmptySyncStep1(data));
      if (index >= 0 && answerFromStoredState(early[index])) early.splice(index, 1);
    };
    const stopWaiting = () => {
      const waiters = storedStateWaiters.get(documentId);
      waiters?.delete(waiter);
      if (waiters?.size === 0) storedStateWaiters.delete(documentId);
    };
    if (!storedStateWaiters.has(documentId)) storedStateWaiters.set(documentId, new Set());
    storedStateWaiters.get(documentId)!.add(waiter);

    const connectionLog = log.child({ connection: connection.id, documentId });
    const handleFrame = (data: RawData, isBinary: boolean, replayed = false): void => {
      if (firstMessageTimer) {
        clearTimeout(firstMessageTimer);
        firstMessageTimer = null;
      }
      if (!replayed && !connection.withinRate(rawLength(data))) {
        connectionLog.warn("closing connection over its rate limit");
        connection.close(CloseCode.RATE_LIMITED, "rate limit exceeded");
        return;
      }
      if (!replayed) {
        metrics.collabTraffic.messagesIn++;
        metrics.collabTraffic.bytesIn += rawLength(data);
      }
      if (!isBinary) {
        connection.close(CloseCode.BAD_MESSAGE, "text frames are not part of the protocol");
        return;
      }
      if (!room) {
        if (answerFromStoredState(data)) return;
        if (early.length >= MAX_FRAMES_BEFORE_LOAD) connection.close(CloseCode.TOO_LARGE, "too many frames before load");
        else early.push(data);
        return;
      }
      try {
        room.receive(connection, decodeMessage(toUint8Array(data)));
      } catch (error) {
        if (error instanceof CloseError) {
          connectionLog.warn("closing connection", { code: error.code, reason: error.message });
          connection.close(error.code, error instanceof ProtocolError ? "malformed message" : error.message);
          return;
        }
        // Anything else is a bug reached through this client's input: it costs this socket,
        // never the process and the other clients. Its own code (not 4400), so a bug is never
        // mistaken for a client's malformed frame.
        connectionLog.error("unexpected error handling a frame", { error });
        connection.close(CloseCode.INTERNAL_ERROR, "internal error");
      }
    };

    socket.on("message", handleFrame);
    socket.on("error", (error) => connectionLog.warn("socket error", { error: error.message }));
    socket.on("close", () => {
      stopWaiting();
      if (firstMessageTimer) clearTimeout(firstMessageTimer);
      connections.delete(connection);
      if (room) {
        room.leave(connection);
        rooms.release(room);
        countIn(holding, documentId, -1);
      }
    });

    countIn(holding, documentId, 1);
    rooms.acquire(documentId).then(
      (loaded) => {
        stopWaiting();
        if (!connection.open) {
          rooms.release(loaded);
          countIn(holding, documentId, -1);
          return;
        }
        room = loaded;
        room.join(connection);
        for (const data of early.splice(0)) {
          if (!connection.open) break;
          handleFrame(data, true, true);
        }
      },
      (error) => {
        stopWaiting();
        countIn(holding, documentId, -1);
        // Never serve (and so never write) a document whose load failed.
        log.error("document load failed", { documentId, error: String(error) });
        connection.close(CloseCode.LOAD_FAILED, "document could not be loaded");
      },
    );
  }

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
    const known = admitting.has(documentId) || holding.has(documentId) || rooms.peek(documentId) !== undefined;
    if (!known && documentsCounted() >= limits.maxLoadedDocuments) {
      refuseUpgrade(socket, 503);
      return true;
    }
    // Counted from the upgrade on, so concurrent upgrades to a document still loading count too.
    if ((clientsPerDocument.get(documentId) ?? 0) >= limits.maxClientsPerDocument) {
      refuseUpgrade(socket, 503);
      return true;
    }
    const address = options.clientAddress?.(request) ?? request.socket.remoteAddress ?? "unknown";
    if (!addresses.admit(address)) {
      refuseUpgrade(socket, 429);
      return true;
    }
    // Released when the TCP socket closes, however the upgrade or connection ends.
    clientsPerDocument.set(documentId, (clientsPerDocument.get(documentId) ?? 0) + 1);
    // The document's reservation (see documentsCounted) lasts until the connection holds a
    // room, or the upgrade is refused or dropped.
    countIn(admitting, documentId, 1);
    let admitted = true;
    const endAdmission = () => {
      if (!admitted) return;
      admitted = false;
      countIn(admitting, documentId, -1);
    };
    socket.once("close", () => {
      endAdmission();
      addresses.release(address);
      const remaining = (clientsPerDocument.get(documentId) ?? 1) - 1;
      if (remaining > 0) clientsPerDocument.set(documentId, remaining);
      else clientsPerDocument.delete(documentId);
    });
    void authorizeThenUpgrade(request, socket, head, documentId, endAdmission);
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
      onConnection(connection);
      // onConnection asked `rooms` for the document: counted there (and in `holding`) now.
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
    await rooms.flushAll();
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

/** The exact frame a y-websocket client with nothing yet sends first: sync, step 1, state vector [0]. */
function isEmptySyncStep1(data: RawData): boolean {
  if (Array.isArray(data) || data instanceof ArrayBuffer) return false;
  return data.length === 4 && data[0] === 0 && data[1] === 0 && data[2] === 1 && data[3] === 0;
}

function toUint8Array(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

/** Adds `delta` to `key`'s count, removing the key at zero. */
function countIn(counts: Map<string, number>, key: string, delta: number): void {
  const count = (counts.get(key) ?? 0) + delta;
  if (count > 0) counts.set(key, count);
  else counts.delete(key);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function rawLength(data: RawData): number {
  return Array.isArray(data) ? data.reduce((sum, part) => sum + part.length, 0) : data.byteLength;
}
