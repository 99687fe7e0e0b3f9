// Starts the real collab server (no Next.js) on port 0 against a real database, for
// integration tests. Restarting = close() then start again with the same database options.

import http from "node:http";
import { createCollabServer, type CollabServer } from "../collab/createCollabServer.ts";
import { SqlDocumentStorage } from "../collab/storage/SqlDocumentStorage.ts";
import type { DocumentStorage } from "../collab/storage/DocumentStorage.ts";
import { openDatabase } from "../db/openDatabase.ts";
import { RedisLink } from "../redis/RedisLink.ts";
import { RedisFanout } from "../collab/fanout/RedisFanout.ts";
import type { CollabLimits } from "../collab/limits.ts";
import type { Database } from "../db/Database.ts";
import type { CollabAccessPolicy } from "../collab/access.ts";
import { everyoneEdits } from "./everyoneEdits.ts";
import { RecordingLog } from "./RecordingLog.ts";

export interface CollabTestServer {
  /** ws://127.0.0.1:<port>/collab — pass to WebsocketProvider with the document id as room. */
  wsUrl: string;
  port: number;
  collab: CollabServer;
  database: Database;
  storage: DocumentStorage;
  /** What the server (and its fan-out) logged at error level: nothing, unless it met a bug or a
   *  fault. Logs are otherwise silent. */
  log: RecordingLog;
  close(): Promise<void>;
}

export async function startCollabTestServer(
  databaseOptions: { databaseUrl?: string; dataDir: string },
  {
    wrapStorage = (s: DocumentStorage) => s,
    pingIntervalMs = 30_000,
    maxPayloadBytes = 16 * 1024 * 1024,
    redisUrl = undefined as string | undefined,
    limits = {} as Partial<CollabLimits>,
    access = everyoneEdits as CollabAccessPolicy,
    /** How long peers hold a relayed update for its origin's "stored" (RedisFanout's default when omitted). */
    confirmTimeoutMs = undefined as number | undefined,
  } = {},
): Promise<CollabTestServer> {
  const database = await openDatabase(databaseOptions);
  const storage = wrapStorage(new SqlDocumentStorage(database.sql));
  const server = http.createServer((_, response) => response.writeHead(404).end());
  const log = new RecordingLog();
  const redis = redisUrl ? new RedisLink(redisUrl, log) : null;
  const fanout = redis ? new RedisFanout(redis, log, confirmTimeoutMs) : undefined;
  const collab = createCollabServer({ storage, access, server, pingIntervalMs, maxPayloadBytes, fanout, limits, log });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    wsUrl: `ws://127.0.0.1:${port}/collab`,
    port,
    collab,
    database,
    storage,
    log,
    async close() {
      server.close();
      await collab.close();
      await fanout?.close();
      await redis?.close();
      server.closeAllConnections();
      await database.close();
    },
  };
}
