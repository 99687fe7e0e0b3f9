// Benchmark server (2): @hocuspocus/server with @hocuspocus/extension-database storing the
// document state to the same PostgreSQL through `pg` (the extension's documented fetch/store).

import { Server } from "@hocuspocus/server";
import { Database } from "@hocuspocus/extension-database";
import pg from "pg";
import { processStats, serveRequests, sleep } from "../lib/child.ts";

const databaseUrl = process.env.BENCH_DATABASE_URL;
if (!databaseUrl) throw new Error("BENCH_DATABASE_URL is required");

const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
await pool.query("CREATE TABLE IF NOT EXISTS hocuspocus_documents (name text PRIMARY KEY, data bytea NOT NULL)");
const written = { storeBytes: 0, stores: 0 };
let storesInFlight = 0;

const server = new Server({
  port: 0,
  address: "127.0.0.1",
  quiet: true,
  stopOnSignals: false,
  websocketOptions: { perMessageDeflate: false },
  extensions: [
    new Database({
      async fetch({ documentName }) {
        const result = await pool.query("SELECT data FROM hocuspocus_documents WHERE name = $1", [documentName]);
        return result.rows[0]?.data ? new Uint8Array(result.rows[0].data) : null;
      },
      async store({ documentName, state }) {
        storesInFlight++;
        try {
          await pool.query(
            "INSERT INTO hocuspocus_documents (name, data) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET data = EXCLUDED.data",
            [documentName, state],
          );
          written.stores++;
          written.storeBytes += state.byteLength;
        } finally {
          storesInFlight--;
        }
      },
    }),
  ],
} as any);
await server.listen();
const port = server.address.port;

serveRequests({
  stats: (m) => ({ ...processStats(m.collect), docs: server.hocuspocus.getDocumentsCount(), connections: server.hocuspocus.getConnectionsCount() }),
  written: () => ({ ...written }),
  async settle(m) {
    const deadline = Date.now() + (m.timeoutMs ?? 30_000);
    while (server.hocuspocus.getDocumentsCount() > 0 || storesInFlight > 0) {
      if (Date.now() > deadline) throw new Error(`settle: ${server.hocuspocus.getDocumentsCount()} documents still loaded`);
      await sleep(20);
    }
    return null;
  },
});
process.send?.({ type: "ready", port, url: `ws://127.0.0.1:${port}`, client: "hocuspocus" });
