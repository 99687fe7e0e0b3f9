// Works around @prisma/adapter-pg 7.10: its executeScript() splits a migration on every ";"
// and runs the pieces one by one, which cuts a dollar-quoted function body (a trigger in
// prisma/migrations) in half. `prisma migrate deploy` sends the script whole; so do we: pg's
// simple query protocol runs a multi-statement script as one call.
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";

const PG_ADAPTER_NAME = "@prisma/adapter-pg";

type PgAdapterInternals = SqlDriverAdapter & {
  client?: { query(sql: string): Promise<unknown> };
  onError?(error: unknown): never; // maps pg's DatabaseError to a DriverAdapterError
};

/** `adapter` with an executeScript that sends the script in one query. */
export function fixPgExecuteScript(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const internals = adapter as PgAdapterInternals;
  const client = internals.client;
  if (adapter.adapterName !== PG_ADAPTER_NAME || typeof client?.query !== "function") return adapter;
  return new Proxy(adapter, {
    get(target, key, receiver) {
      if (key === "executeScript") {
        return async (script: string): Promise<void> => {
          try {
            await client.query(script);
          } catch (error) {
            if (internals.onError) internals.onError.call(target, error);
            throw error;
          }
        };
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
