// Plain SQL for the collab server's hot paths (update log appends, loads, compaction), where
// an ORM's per-query work costs more than the query: on PostgreSQL straight through a `pg`
// pool; on the embedded PGlite through Prisma's raw queries, so that its one connection is
// never shared by two transactions behind the ORM's back.
import { metrics } from "../metrics/metrics.ts";
import pg from "pg";
import type { PrismaClient } from "./generated/client.ts";

export interface SqlClient {
  /** Runs one statement with $1… parameters; rows come back as plain objects. */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[], options?: QueryOptions): Promise<Row[]>;
  /** Runs `work` in one transaction (REPEATABLE READ when asked), committed when it resolves. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
}

export interface QueryOptions {
  /** Settings (planner switches such as enable_seqscan) for this statement only, as SET LOCAL
   *  in a transaction around it would give: names and values of letters, digits, "_" and ".". */
  settings?: Readonly<Record<string, string>>;
}

/** Connections of the pool beside Prisma's own: appends are batched, so few are needed. */
const POOL_SIZE = 4;
/** Connections of each pool of statements run with their own settings (search). */
const SETTINGS_POOL_SIZE = 2;

const SETTING = /^[A-Za-z0-9_.]+$/;

/** `settings` as `set_config` calls (transaction-local) and as a startup `options` string. */
function checkedSettings(settings: Readonly<Record<string, string>>): [string, string][] {
  const entries = Object.entries(settings);
  for (const [name, value] of entries) {
    if (!SETTING.test(name) || !SETTING.test(value)) throw new Error(`invalid setting ${JSON.stringify(name)} = ${JSON.stringify(value)}`);
  }
  return entries;
}

export function pgSqlClient(connectionString: string): SqlClient & { close(): Promise<void> } {
  const pool = new pg.Pool({ connectionString, max: POOL_SIZE });
  // An idle pooled connection that dies (database restart) emits here; the next query reconnects.
  pool.on("error", () => undefined);
  metrics.setPoolGaugeSource({ total: () => pool.totalCount, idle: () => pool.idleCount, waiting: () => pool.waitingCount });
  const onClient = (client: pg.PoolClient | pg.Pool): SqlClient["query"] => async (text, params) =>
    (await client.query(text, params as unknown[])).rows;
  // A statement with settings runs on a pool whose connections start with them (the startup
  // packet's options): one round trip, where a transaction with SET LOCAL would take four.
  const settingsPools = new Map<string, pg.Pool>();
  const poolWith = (settings: Readonly<Record<string, string>>): pg.Pool => {
    const options = checkedSettings(settings)
      .map(([name, value]) => `-c ${name}=${value}`)
      .join(" ");
    let found = settingsPools.get(options);
    if (!found) {
      found = new pg.Pool({ connectionString, max: SETTINGS_POOL_SIZE, options });
      found.on("error", () => undefined);
      settingsPools.set(options, found);
    }
    return found;
  };
  return {
    query: async (text, params, options) => onClient(options?.settings ? poolWith(options.settings) : pool)(text, params),
    async transaction(work) {
      const client = await pool.connect();
      // A connection that dies while checked out (database restart, network cut) emits
      // "error" on the client besides failing the query: without a listener, that would be
      // an uncaught exception. The failed query reports it; the broken client is discarded.
      const onError = () => undefined;
      client.on("error", onError);
      let failure: Error | undefined;
      try {
        await client.query("BEGIN");
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
    close: async () => {
      await Promise.all([pool.end(), ...[...settingsPools.values()].map((settingsPool) => settingsPool.end())]);
    },
  };
}

type RawCapable = Pick<PrismaClient, "$queryRawUnsafe">;

export function prismaSqlClient(prisma: PrismaClient): SqlClient {
  const onClient = (client: RawCapable): SqlClient["query"] => (text, params = []) =>
    client.$queryRawUnsafe(text, ...params) as Promise<never[]>;
  return {
    async query(text, params, options) {
      if (!options?.settings) return onClient(prisma)(text, params);
      // PGlite has one connection, in this process: a transaction costs no round trips.
      const settings = checkedSettings(options.settings);
      const setAll = `SELECT ${settings.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(", ")}`;
      return (await prisma.$transaction(async (tx) => {
        await tx.$queryRawUnsafe(setAll, ...settings.flat());
        return onClient(tx)(text, params);
      })) as never[];
    },
    transaction(work) {
      return prisma.$transaction(
        (tx) => work({ query: onClient(tx), transaction: () => Promise.reject(new Error("nested transactions are not supported")) }),
        { timeout: 60_000, maxWait: 10_000 },
      );
    },
  };
}
