// Plain SQL for the collab server's hot paths (update log appends, loads, compaction), where
// an ORM's per-query work costs more than the query: on PostgreSQL straight through a `pg`
// pool; on the embedded PGlite through Prisma's raw queries, so that its one connection is
// never shared by two transactions behind the ORM's back.
import { metrics } from "../metrics/metrics.ts";
import pg from "pg";
import type { PrismaClient } from "./generated/client.ts";

export interface SqlClient {
  /** Runs one statement with $1… parameters; rows come back as plain objects. */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs `work` in one transaction (REPEATABLE READ when asked), committed when it resolves. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>, options?: { repeatableRead?: boolean }): Promise<T>;
}

/** Connections of the pool beside Prisma's own: appends are batched, so few are needed. */
const POOL_SIZE = 4;

export function pgSqlClient(connectionString: string): SqlClient & { close(): Promise<void> } {
  const pool = new pg.Pool({ connectionString, max: POOL_SIZE });
  // An idle pooled connection that dies (database restart) emits here; the next query reconnects.
  pool.on("error", () => undefined);
  metrics.setPoolGaugeSource({ total: () => pool.totalCount, idle: () => pool.idleCount, waiting: () => pool.waitingCount });
  const onClient = (client: pg.PoolClient | pg.Pool): SqlClient["query"] => async (text, params) =>
    (await client.query(text, params as unknown[])).rows;
  return {
    query: onClient(pool),
    async transaction(work, options) {
      const client = await pool.connect();
      // A connection that dies while checked out (database restart, network cut) emits
      // "error" on the client besides failing the query: without a listener, that would be
      // an uncaught exception. The failed query reports it; the broken client is discarded.
      const onError = () => undefined;
      client.on("error", onError);
      let failure: Error | undefined;
      try {
        await client.query(options?.repeatableRead ? "BEGIN ISOLATION LEVEL REPEATABLE READ" : "BEGIN");
        const tx: SqlClient = {
          query: onClient(client),
          transaction: () => Promise.reject(new Error("nested transactions are not supported")),
        };
        const result = await work(tx);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.off("error", onError);
        // Releasing with an error destroys the connection instead of returning it to the pool.
        client.release(failure);
      }
    },
    close: () => pool.end(),
  };
}

type RawCapable = Pick<PrismaClient, "$queryRawUnsafe">;

export function prismaSqlClient(prisma: PrismaClient): SqlClient {
  const onClient = (client: RawCapable): SqlClient["query"] => (text, params = []) =>
    client.$queryRawUnsafe(text, ...params) as Promise<never[]>;
  return {
    query: onClient(prisma),
    transaction(work, options) {
      return prisma.$transaction(
        (tx) => work({ query: onClient(tx), transaction: () => Promise.reject(new Error("nested transactions are not supported")) }),
        { timeout: 60_000, maxWait: 10_000, ...(options?.repeatableRead ? { isolationLevel: "RepeatableRead" } : {}) },
      );
    },
  };
}
