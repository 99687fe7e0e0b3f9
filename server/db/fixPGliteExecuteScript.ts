// Works around pglite-prisma-adapter 0.7.2: its executeScript() calls `client.exec(script)`
// WITHOUT awaiting it and resolves at once. A failing migration then is recorded in
// `_prisma_migrations` as applied, and its error escapes as an unhandled rejection.
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";

const PGLITE_ADAPTER_NAME = "pglite-prisma-adapter";

type PGliteAdapterInternals = SqlDriverAdapter & {
  client?: { exec(sql: string): Promise<unknown> };
  onError?(error: unknown): never; // maps PGlite's DatabaseError to a DriverAdapterError
};

/** `adapter` with an executeScript that waits for the script and rejects on failure. */
export function fixPGliteExecuteScript(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const internals = adapter as PGliteAdapterInternals;
  const client = internals.client;
  if (adapter.adapterName !== PGLITE_ADAPTER_NAME || typeof client?.exec !== "function") return adapter;
  return new Proxy(adapter, {
    get(target, key, receiver) {
      if (key === "executeScript") {
        return async (script: string): Promise<void> => {
          try {
            await client.exec(script);
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
