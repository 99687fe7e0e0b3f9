// Migration scripts run whole, as `prisma migrate deploy` runs them. Two driver adapters get
// executeScript() wrong:
// - pglite-prisma-adapter 0.7.2 calls `client.exec(script)` WITHOUT awaiting it and resolves at
//   once: a failing migration is recorded in `_prisma_migrations` as applied, and its error
//   escapes as an unhandled rejection.
// - @prisma/adapter-pg 7.10 splits the script on every ";" and runs the pieces one by one,
//   which cuts a dollar-quoted function body (a trigger in prisma/migrations) in half.
// Both drivers run a multi-statement script in one call (PGlite's exec, pg's simple query
// protocol); this sends it so, awaits it, and reports its error as the adapter would.
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";

type AdapterInternals = SqlDriverAdapter & {
  client?: { exec?(sql: string): Promise<unknown>; query?(sql: string): Promise<unknown> };
  onError?(error: unknown): never; // maps the driver's error to a DriverAdapterError
};

/** How each affected adapter's driver runs a whole script. */
const RUN_SCRIPT: Record<string, (client: NonNullable<AdapterInternals["client"]>, script: string) => Promise<unknown> | undefined> = {
  "pglite-prisma-adapter": (client, script) => client.exec?.(script),
  "@prisma/adapter-pg": (client, script) => client.query?.(script),
};

/** `adapter` with an executeScript that runs the script in one awaited call. */
export function withWholeScriptExecution(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const internals = adapter as AdapterInternals;
  const run = RUN_SCRIPT[adapter.adapterName];
  const client = internals.client;
  if (!run || !client) return adapter;
  return new Proxy(adapter, {
    get(target, key, receiver) {
      if (key === "executeScript") {
        return async (script: string): Promise<void> => {
          try {
            const running = run(client, script);
            if (!running) throw new Error(`${adapter.adapterName}: no way to run a script on its client`);
            await running;
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
