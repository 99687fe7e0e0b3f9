// Child process for the two-process compaction test (server/collab/storage/compactionFaults.test.ts):
// compacts one document on PostgreSQL over and over, as a second server instance would, until
// its stdin closes. Seeded random pauses before each log read and snapshot write stretch the
// window in which two overlapping compactions (were they not serialised) would overwrite each
// other's snapshot.
// Usage: node --import tsx server/testing/compactionLoop.ts <databaseUrl> <documentId> <seed>
// Prints "ready" once connected, and on exit one JSON line {attempts, snapshotWrites, errors}.
import { SqlDocumentStorage } from "../collab/storage/SqlDocumentStorage.ts";
import { pgSqlClient, type SqlClient } from "../db/SqlClient.ts";
import { Random } from "./seededRandom.ts";
import { sleep } from "./sleep.ts";

/** Longest pause before a compaction reads the log, and before it writes the snapshot, in ms. */
const MAX_PAUSE_MS = 25;
/** Pause between two compaction attempts, in ms. */
const PAUSE_BETWEEN_ATTEMPTS_MS = 2;

const [databaseUrl, documentId, seedText] = process.argv.slice(2);
const random = new Random(Number(seedText));
const pool = pgSqlClient(databaseUrl);
let snapshotWrites = 0;

/** The pool, with a pause before each log read and snapshot write inside a transaction. */
const slowSnapshotWrites: SqlClient = {
  query: pool.query,
  transaction: (work) =>
    pool.transaction(
      (tx) =>
        work({
          ...tx,
          async query(text, params) {
            const statement = text.trimStart();
            if (statement.startsWith("INSERT INTO document_snapshots")) snapshotWrites++;
            if (statement.startsWith("INSERT INTO document_snapshots") || statement.startsWith("SELECT seq::text")) {
              await sleep(random.int(0, MAX_PAUSE_MS + 1));
            }
            return tx.query(text, params);
          },
        }),
    ),
};

const storage = new SqlDocumentStorage(slowSnapshotWrites);
await pool.query("SELECT 1");
let stopping = false;
process.stdin.on("end", () => (stopping = true));
process.stdin.resume();
process.stdout.write("ready\n");

let attempts = 0;
const errors: string[] = [];
while (!stopping) {
  attempts++;
  try {
    await storage.compact(documentId);
  } catch (error) {
    errors.push(String(error));
  }
  await sleep(PAUSE_BETWEEN_ATTEMPTS_MS);
}
await pool.close();
process.stdout.write(`${JSON.stringify({ attempts, snapshotWrites, errors })}\n`);
