// Builds the one http server of a process: Next.js pages and route handlers, the collab
// WebSocket on /collab/<id>, and health endpoints, on one origin and port.

import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import type { Config } from "./config.ts";
import { createCollabServer, type CollabServer } from "./collab/createCollabServer.ts";
import { SqlDocumentStorage } from "./collab/storage/SqlDocumentStorage.ts";
import { openDatabase } from "./db/openDatabase.ts";
import { setDatabase } from "./db/getDatabase.ts";
import type { Database } from "./db/Database.ts";
import { log } from "./log.ts";
import { RedisFanout } from "./collab/fanout/RedisFanout.ts";
import { RedisLink } from "./redis/RedisLink.ts";
import { createAccessContext, setAccessContext, type AccessContext } from "./access/accessContext.ts";
import { CLIENT_ADDRESS_HEADER, clientAddress, stampClientAddress } from "./auth/clientAddress.ts";
import { warmUp } from "./collab/warmUp.ts";
import { clearLiveRooms, setLiveRooms } from "./collab/liveRooms.ts";
import { toNodeHandler } from "better-auth/node";
import { limitRequestBody, requestBodyLimit } from "./http/limitRequestBody.ts";
import { refuseRequest } from "./http/refuseRequest.ts";
import { foreignOrigin, ORIGIN_MISMATCH_CODE, originMismatchMessage, OriginMismatchLog } from "./http/originMismatch.ts";
import { refuseUpgrade } from "./http/refuseUpgrade.ts";
import { TrashSweep } from "./documents/TrashSweep.ts";
import type { ExportResult } from "./documents/conversion/conversionTasks.ts";
import { startAdminSocket } from "./admin/adminSocket.ts";
import { stampRequestId } from "./http/requestId.ts";
import { upgradeNotForwarded, UpgradeNotForwardedLog } from "./http/upgradeNotForwarded.ts";
import { COLLAB_PATH_PREFIX } from "../lib/messageType.ts";
import { METRICS_PATH, serveMetrics } from "./metrics/metricsEndpoint.ts";
import { ConversionPool } from "./documents/conversion/ConversionPool.ts";
import { clearLiveConversions, setLiveConversions } from "./documents/conversion/liveConversions.ts";
import { DocumentProjection, type ProjectionTiming } from "./documents/DocumentProjection.ts";
import { VersionRecorder, type HistoryTiming } from "./history/VersionRecorder.ts";
import { VersionStore } from "./history/VersionStore.ts";
import { clearLiveHistory, setLiveHistory } from "./history/liveHistory.ts";
import { observeAll } from "./collab/RoomObserver.ts";
import { DocumentProjectionStore } from "./documents/DocumentProjectionStore.ts";
import { DocumentProjectionBackfill } from "./documents/DocumentProjectionBackfill.ts";
import { Authorship } from "./attribution/Authorship.ts";
import { NOTIFICATION_STREAM_PATH, serveNotificationStream } from "./notifications/notificationStream.ts";
import { Comments } from "./comments/Comments.ts";
import { SocketComments } from "./comments/SocketComments.ts";
import { clearLiveComments, setLiveComments } from "./comments/liveComments.ts";
import { commentNotifier } from "./comments/commentNotifications.ts";

/** Time allowed for a client to send request headers (also bounds WebSocket upgrades). */
export const HEADERS_TIMEOUT_MS = 10_000;
/** How often Node checks the two timeouts above. */
export const CONNECTIONS_CHECK_INTERVAL_MS = 1_000;
/** Time allowed for a whole HTTP request. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** Better Auth's endpoints, served by this process directly (before Next), so the throttle and
 *  the body limit sit in front of them. */
const AUTH_PATH_PREFIX = "/api/auth/";
/** Endpoints that check a password or create an account: throttled per address before their
 *  body is read. */
const SIGN_IN_PATHS = new Set(["/api/auth/sign-in/email", "/api/auth/sign-up/email"]);
/** Next's hot-reload socket, served only under `npm run dev`. */
const NEXT_HMR_PATH_PREFIX = "/_next/hmr";

const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface RunningServer {
  /** http://host:port the server listens on. */
  url: string;
  port: number;
  collab: CollabServer;
  database: Database;
  /** Accounts, links and access-change notifications of this server. */
  access: AccessContext;
  /** The periodic purge of documents past TRASH_RETENTION_DAYS in Trash. */
  trashSweep: TrashSweep;
  /** Worker threads converting the content API's Markdown/HTML (started on first use, or by warm()). */
  conversions: ConversionPool;
  /** Mirrors loaded documents into their rows (title, content_text, last editor). */
  projection: DocumentProjection;
  history: VersionRecorder;
  /** The start-up pass projecting documents never projected. */
  projectionBackfill: DocumentProjectionBackfill;
  /** Comment threads: the socket's and the HTTP API's requests, and their live events. */
  comments: Comments;
  /** Graceful stop: refuse new work, flush writes, close sockets with 1012, close the database. */
  close(): Promise<void>;
}

/** Starts the server described by `config`; `withNext: false` serves only the collab endpoint. */
export async function startServer(
  config: Config,
  {
    withNext = true,
    headersTimeoutMs = HEADERS_TIMEOUT_MS,
    projectionTiming,
    historyTiming,
  }: { withNext?: boolean; headersTimeoutMs?: number; projectionTiming?: ProjectionTiming; historyTiming?: HistoryTiming } = {},
): Promise<RunningServer> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  setDatabase(database);
  const storage = new SqlDocumentStorage(database.sql);
  await warmUp(storage);
  // One publisher/subscriber pair per instance, shared by document fan-out, access changes and
  // the sign-in throttle.
  const redis = config.redisUrl ? new RedisLink(config.redisUrl, log) : null;
  const fanout = redis ? new RedisFanout(redis, log) : undefined;
  const access = await createAccessContext(database, config, log, redis);
  setAccessContext(access);

  const app = withNext ? next({ dev: config.dev, dir: PROJECT_DIR, hostname: "localhost", port: config.port }) : null;
  await app?.prepare();
  const handleRequest = app?.getRequestHandler();
  const handleNextUpgrade = app?.getUpgradeHandler();
  const handleAuth = toNodeHandler(access.auth);
  const originMismatches = new OriginMismatchLog(log, config.publicUrl);
  const droppedUpgrades = new UpgradeNotForwardedLog(log);

  // Node enforces the header and request timeouts only at this interval; check often, so a
  // slow sender is cut near HEADERS_TIMEOUT_MS rather than up to 30 s later.
  const server = http.createServer({ connectionsCheckingInterval: CONNECTIONS_CHECK_INTERVAL_MS }, (request, response) => {
    const url = request.url ?? "/";
    if (url === "/healthz") {
      response.writeHead(200, { "content-type": "text/plain" }).end("ok");
      return;
    }
    if (url === METRICS_PATH) {
      serveMetrics(request, response, config.metricsToken);
      return;
    }
    if (url === "/readyz") {
      void Promise.all([storage.ping(), redis ? redis.ping() : true]).then(([databaseOk, redisOk]) => {
        const ok = databaseOk && redisOk;
        const body = ok ? "ready" : [!databaseOk && "database unreachable", !redisOk && "redis unreachable"].filter(Boolean).join(", ");
        response.writeHead(ok ? 200 : 503, { "content-type": "text/plain" }).end(body);
      });
      return;
    }
    // Rate limits in route handlers (sign-in) need the client's address, which a Request
    // object no longer carries: hand it over in a header the client cannot forge.
    stampClientAddress(request, config.trustProxy);
    stampRequestId(request, response);
    const path = url.split("?", 1)[0];
    // The collab endpoint reached without an upgrade: usually a proxy that dropped it.
    if (path.startsWith(COLLAB_PATH_PREFIX)) {
      const refusal = upgradeNotForwarded(request);
      droppedUpgrades.report(refusal);
      refuseRequest(request, 426, { code: refusal.code, message: refusal.message }, { upgrade: "websocket" });
      return;
    }
    if (path === NOTIFICATION_STREAM_PATH) {
      serveNotificationStream(request, response, access, log);
      return;
    }
    // Better Auth would answer a bare "Invalid origin"; a server reached at the wrong address
    // must say which address is right (server/http/originMismatch.ts).
    const foreign = request.method === "POST" && path.startsWith(AUTH_PATH_PREFIX) ? foreignOrigin(request.headers.origin, config.allowedOrigins) : null;
    if (foreign !== null) {
      originMismatches.report(foreign);
      refuseRequest(request, 403, { code: ORIGIN_MISMATCH_CODE, message: originMismatchMessage(foreign, config.publicUrl) });
      return;
    }
    const dispatch = () => {
      if (path.startsWith(AUTH_PATH_PREFIX)) void handleAuth(request, response);
      else if (handleRequest) void handleRequest(request, response);
      else response.writeHead(404).end();
    };
    if (request.method !== "POST" || !SIGN_IN_PATHS.has(path)) {
      limitRequestBody(request, requestBodyLimit(request.method, path, config.maxUploadBytes), dispatch);
      return;
    }
    // A sign-in attempt counts against its address before its body is read: one over the limit
    // is refused at once, without waiting for (or parsing) the body. The throttle may ask Redis
    // (limits shared by every instance), so the body is collected meanwhile, as it arrives.
    let bodyReady = false;
    let admitted = false;
    void access.throttle.admitAddress(String(request.headers[CLIENT_ADDRESS_HEADER])).then((waitSeconds) => {
      if (request.socket.writableEnded) return; // already refused (the body was too large)
      if (waitSeconds > 0) {
        refuseRequest(request, 429, { code: "TOO_MANY_ATTEMPTS", message: `Too many attempts. Try again in ${waitSeconds} s.` }, { "retry-after": String(waitSeconds) });
        return;
      }
      admitted = true;
      if (bodyReady) dispatch();
    });
    limitRequestBody(request, requestBodyLimit(request.method, path, config.maxUploadBytes), () => {
      bodyReady = true;
      if (admitted) dispatch();
    });
  });

  // Slowloris: a client must send its request headers, and its whole request, in bounded time.
  server.headersTimeout = headersTimeoutMs;
  server.requestTimeout = REQUEST_TIMEOUT_MS;

  const projectionStore = new DocumentProjectionStore(database.sql);
  const projection = new DocumentProjection(projectionStore, log, projectionTiming);
  const comments = new Comments(database.prisma, log, commentNotifier(database.prisma));
  const history = new VersionRecorder(new VersionStore(database.sql), log, historyTiming);
  setLiveHistory(history);
  const collab = createCollabServer({
    comments: new SocketComments(comments, log),
    storage,
    roomObserver: observeAll([projection, history]),
    authorship: new Authorship(database.sql, log),
    fanout,
    access: access.policy,
    limits: config.limits,
    maxPayloadBytes: config.maxPayloadBytes,
    pingIntervalMs: config.pingIntervalMs,
    clientAddress: (request) => clientAddress(request, config.trustProxy),
  });
  // The content API's route handlers reach live documents through this (server/collab/liveRooms.ts).
  setLiveRooms(collab.rooms);
  comments.attach(collab.rooms);
  setLiveComments(comments);
  const conversions = new ConversionPool({ log });
  setLiveConversions(conversions);
  server.on("upgrade", (request, socket, head) => {
    if (collab.handleUpgrade(request, socket, head)) return;
    // Next's hot reload, only in development. Anything else is answered and closed at once:
    // Next's production upgrade handler leaves unmatched sockets open for ever.
    if (config.dev && handleNextUpgrade && request.url?.startsWith(NEXT_HMR_PATH_PREFIX)) {
      void handleNextUpgrade(request, socket, head);
      return;
    }
    socket.on("error", () => socket.destroy());
    refuseUpgrade(socket, 404);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  log.info("listening", { url, database: database.kind, fanout: fanout ? "redis" : "none" });
  // A wrong SMTP_URL (host, port, password) is logged now rather than at the first invitation;
  // the server runs either way, and every failed mail says why.
  if (access.mailer.enabled) void access.mailer.check();
  const trashSweep = new TrashSweep(database.prisma, config.trashRetentionDays, log);
  const adminSocket = await startAdminSocket(
    config.dataDir,
    {
      prisma: database.prisma,
      storage,
      auth: access.auth,
      publicUrl: config.publicUrl,
      accessChanged: (id) => access.changes.publish(id),
      mailer: access.mailer,
      convert: async (task) => (await conversions.run(task)) as ExportResult,
    },
    log,
  );
  const projectionBackfill = new DocumentProjectionBackfill(projectionStore, storage, collab.rooms, projection, log);

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    collab,
    database,
    access,
    trashSweep,
    conversions,
    projection,
    history,
    projectionBackfill,
    comments,
    close() {
      closing ??= (async () => {
        server.close();
        await adminSocket.close();
        await trashSweep.stop();
        await projectionBackfill.stop();
        await collab.close();
        // After the rooms' last updates: the rows get the documents as they were left.
        await projection.close();
        await history.close();
        clearLiveHistory(history);
        clearLiveRooms(collab.rooms);
        clearLiveComments(comments);
        clearLiveConversions(conversions);
        await conversions.close();
        await fanout?.close();
        await access.changes.close();
        await access.notifications.close();
        await redis?.close();
        access.mailer.close();
        server.closeAllConnections();
        await app?.close?.();
        await database.close();
      })();
      return closing;
    },
  };
}
