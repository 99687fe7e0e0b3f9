// Benchmark server (1): our collab server as shipped — createCollabServer on a plain
// http.Server with SqlDocumentStorage on PostgreSQL (or, with BENCH_OURS_DATABASE=pglite, on
// embedded PGlite in BENCH_PGLITE_DIR, the default of a self-hosted install). The storage is
// wrapped only to count the bytes it writes (one extra function call per write).

import http from "node:http";
import { createCollabServer } from "../../server/collab/createCollabServer.ts";
import { SqlDocumentStorage } from "../../server/collab/storage/SqlDocumentStorage.ts";
import type { DocumentStorage } from "../../server/collab/storage/DocumentStorage.ts";
import { openDatabase } from "../../server/db/openDatabase.ts";
import { everyoneEdits } from "../../server/testing/everyoneEdits.ts";
import { warmUp } from "../../server/collab/warmUp.ts";
import { silentLog, type Logger } from "../../server/log.ts";
import { processStats, serveRequests, sleep } from "../lib/child.ts";

const pglite = process.env.BENCH_OURS_DATABASE === "pglite";
const databaseUrl = process.env.BENCH_DATABASE_URL;
const pgliteDir = process.env.BENCH_PGLITE_DIR;
if (pglite ? !pgliteDir : !databaseUrl) throw new Error(pglite ? "BENCH_PGLITE_DIR is required" : "BENCH_DATABASE_URL is required");

const database = await openDatabase(pglite ? { dataDir: pgliteDir! } : { databaseUrl, dataDir: "/nonexistent-bench-dir" });
const inner = new SqlDocumentStorage(database.sql);
const written = { appendBytes: 0, appends: 0, snapshotBytes: 0, compactions: 0 };
// BENCH_OURS_STORAGE=memory: a diagnostic variant whose appends and compactions cost nothing,
// to separate the server's own fan-out cost from its database writes. Not used by the report.
const memoryOnly = process.env.BENCH_OURS_STORAGE === "memory";
const storage: DocumentStorage = {
  load: (id) => (memoryOnly ? Promise.resolve(null) : inner.load(id)),
  async append(id, update) {
    if (!memoryOnly) await inner.append(id, update);
    written.appends++;
    written.appendBytes += update.byteLength;
  },
  async compact(id) {
    if (memoryOnly) return;
    // What compaction wrote: the snapshot row's state + state vector, read back after the fact,
    // counted only when it did write (compact() skips when the log is too small to pay off).
    const snapshotOf = () => database.prisma.$queryRaw<{ bytes: bigint | number | null; seq: bigint | null }[]>`
      SELECT octet_length(state) + octet_length(state_vector) AS bytes, up_to_seq AS seq FROM document_snapshots WHERE document_id = ${id}`;
    const [before] = await snapshotOf();
    await inner.compact(id);
    const [after] = await snapshotOf();
    if (after && after.seq !== before?.seq) {
      written.compactions++;
      written.snapshotBytes += Number(after.bytes ?? 0);
    }
  },
  ping: () => inner.ping(),
};
// As server/startServer.ts does before listening.
await warmUp(inner);

const server = http.createServer((_, response) => response.writeHead(404).end());
const silent: Logger = { ...silentLog, error: (...args: unknown[]) => console.error("[ours]", ...args) };
// Every load-generator client connects from 127.0.0.1, so the per-address limits (meant for
// the open internet) are lifted. So is the per-socket message rate: the hot-document scenario's
// one writer stands for hundreds of typists (5,000 updates/s). Every other limit stays at its
// shipped default.
// No accounts: the peers have none either, so every load-generator client edits.
const collab = createCollabServer({
  storage,
  access: everyoneEdits,
  server,
  log: silent,
  limits: { maxConnectionsPerIp: 1_000_000, newConnectionsPerIpPerMinute: 1_000_000, messagesPerSecond: 1_000_000, messageBurst: 1_000_000 },
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = (server.address() as { port: number }).port;

serveRequests({
  stats: (m) => ({ ...processStats(m.collect), docs: collab.rooms.size, connections: collab.connectionCount }),
  written: () => ({ ...written }),
  async settle(m) {
    const deadline = Date.now() + (m.timeoutMs ?? 30_000);
    while (collab.rooms.size > 0 || collab.connectionCount > 0) {
      if (Date.now() > deadline) throw new Error(`settle: ${collab.rooms.size} rooms still loaded`);
      await sleep(20);
    }
    return null;
  },
});
process.send?.({ type: "ready", port, url: `ws://127.0.0.1:${port}/collab`, client: "y-websocket" });
