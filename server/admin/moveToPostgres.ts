// `npm run admin -- move-to-postgres --to <DATABASE_URL>`: moves an embedded-PGlite instance
// (DATA_DIR) to PostgreSQL, the usual path when a team outgrows one box.
//
// Table by table, every row as it is: accounts with their password hashes, sessions (signed-in
// browsers stay signed in), documents with their update logs and snapshots (so the Yjs state is
// byte-identical), members, share links, invitations, images, settings (the generated auth
// secret too, so cookies and links stay valid), Trash. Rows travel as JSON of their columns'
// text forms (row_to_json → json_populate_recordset), which round-trips every type exactly
// without going through JavaScript values. The sequence of the update log continues where it
// was: a snapshot records the highest sequence number it merged, and a new update numbered
// below it would be taken for merged already.
//
// Everything is written in ONE transaction on the target and verified inside it (row count and
// content fingerprint per table, a hash of each document's merged Yjs state on both sides)
// before it commits: interrupted or unequal, the target keeps no row. Only the empty schema may
// remain (the migrations run first, as at server start-up); a rerun accepts that.
//
// The server must be stopped: its edits during the move would be lost. The embedded database
// is only read and stays in DATA_DIR as it was.
import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { openDatabase, PGLITE_SUBDIR } from "../db/openDatabase.ts";
import type { Database, PrismaClient } from "../db/Database.ts";
import { SqlDocumentStorage } from "../collab/storage/SqlDocumentStorage.ts";
import type { SqlClient } from "../db/SqlClient.ts";
import { listTables, nonEmptyTables, quoteIdent, readSequences, rowOrder, tableFingerprint, type RawQuery, type TableInfo } from "../db/databaseTables.ts";
import { adminSocketAnswers, adminSocketPath } from "./adminSocket.ts";
import { UsageError } from "./adminCommands.ts";

/** The move cannot start as things are (server running, target not empty…); nothing was written. */
export class MoveRefusedError extends Error {}

export interface MoveOptions {
  /** DATA_DIR of the embedded instance. */
  dataDir: string;
  /** postgres:// URL of an empty database. */
  to: string;
  /** Result lines. */
  print(line: string): void;
  /** The progress line (overwritten in place on a terminal). */
  progress(line: string): void;
}

export interface MoveSummary {
  tables: { name: string; rows: number }[];
  documents: number;
}

/** Rows read and inserted per statement: fewer where rows carry bytes (images, Yjs updates). */
const BATCH_ROWS = 500;
const BATCH_ROWS_WITH_BYTES = 25;

/** The URL with its password hidden, for messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

export async function moveToPostgres(options: MoveOptions): Promise<MoveSummary> {
  const { dataDir, to, print, progress } = options;
  if (!/^postgres(ql)?:\/\//.test(to) || !URL.canParse(to)) {
    throw new UsageError("--to must be a PostgreSQL URL: postgresql://user:password@host:5432/database");
  }
  if (await adminSocketAnswers(adminSocketPath(dataDir))) {
    throw new MoveRefusedError(
      `the server is running on ${path.resolve(dataDir)}: stop the server first (edits made during the move would be lost), then run move-to-postgres again`,
    );
  }
  const pgliteDir = path.join(dataDir, PGLITE_SUBDIR);
  if (!(await stat(pgliteDir).then((s) => s.isDirectory(), () => false))) {
    throw new UsageError(`no embedded database in ${path.resolve(pgliteDir)}: is DATA_DIR right?`);
  }
  await refuseNonEmptyTarget(to);

  // Opening runs the app's migrations on each side (the source too, so both have one schema);
  // the source's data-dir lock also keeps a server from starting on it meanwhile.
  const source = await openDatabase({ dataDir });
  let target: Database | undefined;
  try {
    target = await openDatabase({ databaseUrl: to, dataDir });
    const summary = await copyAndVerify(source, target.prisma, progress);
    progress("");
    for (const { name, rows } of summary.tables) print(`  ${name}: ${rows} rows`);
    print(`moved and verified: ${summary.tables.length} tables (row counts and contents equal), ${summary.documents} documents with identical Yjs state`);
    print(`next: set DATABASE_URL=${redactedUrl(to)} (keep DATA_DIR for the admin socket) and start the server.`);
    print(`the embedded database in ${path.resolve(pgliteDir)} is unchanged: keep it as a backup until you are satisfied, then remove it.`);
    return summary;
  } finally {
    progress("");
    await target?.close();
    await source.close();
  }
}

/** Refuses a target holding any row, before anything is written to it. */
async function refuseNonEmptyTarget(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new MoveRefusedError(`cannot connect to ${redactedUrl(url)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const query: RawQuery = async (text, ...params) => (await client.query(text, params)).rows;
    const found = await nonEmptyTables(query);
    if (found.length > 0) {
      const listed = found.map(({ name, rows }) => `${name}: ${rows} rows`).join(", ");
      throw new MoveRefusedError(`the target database is not empty (${listed}): nothing was written; give an empty database`);
    }
  } finally {
    await client.end();
  }
}

const rawQuery = (client: Pick<PrismaClient, "$queryRawUnsafe">): RawQuery => (text, ...params) => client.$queryRawUnsafe(text, ...params);

async function copyAndVerify(source: Database, target: PrismaClient, progress: (line: string) => void): Promise<MoveSummary> {
  const readSource = rawQuery(source.prisma);
  const tables = await listTables(readSource);
  const targetTables = (await listTables(rawQuery(target))).map((table) => table.name).sort();
  const sourceNames = tables.map((table) => table.name).sort();
  if (targetTables.join() !== sourceNames.join()) {
    throw new MoveRefusedError(`the target's tables (${targetTables.join(", ")}) differ from the source's (${sourceNames.join(", ")}) after migration`);
  }
  const sourceStorage = new SqlDocumentStorage(source.sql);
  const documentIds = (await readSource<{ id: string }>(`SELECT id FROM documents ORDER BY id`)).map((row) => row.id);
  // The source is not written meanwhile (the server is stopped and its lock is held), so its
  // fingerprints can be taken outside the target's transaction.
  const expected = new Map<string, { rows: number; md5: string }>();
  await source.prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL TIME ZONE 'UTC'`);
      for (const table of tables) expected.set(table.name, await tableFingerprint(rawQuery(tx), table));
    },
    { timeout: 24 * 60 * 60_000, maxWait: 60_000 },
  );

  return target.$transaction(
    async (tx) => {
      const write = rawQuery(tx);
      await tx.$executeRawUnsafe(`SET LOCAL TIME ZONE 'UTC'`);
      for (const [index, table] of tables.entries()) {
        await copyTable(readSource, tx, table, expected.get(table.name)!.rows, (done, total) =>
          progress(`copying table ${index + 1}/${tables.length} ${table.name}: ${done}/${total} rows`),
        );
      }
      for (const sequence of await readSequences(readSource)) {
        await write(`SELECT setval($1::regclass, $2::bigint, $3)::text`, quoteIdent(sequence.name), sequence.lastValue, sequence.isCalled);
      }
      for (const table of tables) {
        progress(`verifying ${table.name}`);
        const actual = await tableFingerprint(write, table);
        const wanted = expected.get(table.name)!;
        if (actual.rows !== wanted.rows) throw new Error(`verification failed: ${table.name} has ${actual.rows} rows on the target, ${wanted.rows} on the source; nothing was written`);
        if (actual.md5 !== wanted.md5) throw new Error(`verification failed: ${table.name}'s contents differ between source and target; nothing was written`);
      }
      const targetStorage = new SqlDocumentStorage(sqlClientOf(write));
      for (const [index, id] of documentIds.entries()) {
        progress(`verifying document ${index + 1}/${documentIds.length}`);
        const [before, after] = await Promise.all([sourceStorage.load(id), targetStorage.load(id)]);
        if (stateHash(before) !== stateHash(after)) throw new Error(`verification failed: document ${id}'s Yjs state differs on the target; nothing was written`);
      }
      return { tables: tables.map((table) => ({ name: table.name, rows: expected.get(table.name)!.rows })), documents: documentIds.length };
    },
    { timeout: 24 * 60 * 60_000, maxWait: 60_000 },
  );
}

/** Copies one table's rows in primary-key order, a batch per statement. */
async function copyTable(
  readSource: RawQuery,
  tx: Pick<PrismaClient, "$executeRawUnsafe">,
  table: TableInfo,
  total: number,
  onProgress: (done: number, total: number) => void,
): Promise<void> {
  const batch = table.hasBytes ? BATCH_ROWS_WITH_BYTES : BATCH_ROWS;
  const name = quoteIdent(table.name);
  onProgress(0, total);
  for (let done = 0; done < total; ) {
    const rows = await readSource<{ row: string }>(
      `SELECT row_to_json(t)::text AS row FROM ${name} t ORDER BY ${rowOrder(table)} LIMIT $1 OFFSET $2`,
      batch,
      done,
    );
    if (rows.length === 0) throw new Error(`${table.name} ended after ${done} of ${total} rows while being read`);
    await tx.$executeRawUnsafe(`INSERT INTO ${name} SELECT * FROM json_populate_recordset(NULL::${name}, $1::json)`, `[${rows.map((r) => r.row).join(",")}]`);
    done += rows.length;
    onProgress(done, total);
  }
}

/** A SqlClient over one open transaction (no nesting), for SqlDocumentStorage's reads. */
function sqlClientOf(query: RawQuery): SqlClient {
  return {
    query: (text, params = []) => query(text, ...params),
    transaction: () => Promise.reject(new Error("nested transactions are not supported")),
  };
}

function stateHash(state: Uint8Array | null): string {
  return state === null ? "none" : createHash("sha256").update(state).digest("hex");
}
