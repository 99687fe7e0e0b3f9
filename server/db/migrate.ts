// Applies prisma/migrations at start-up with Prisma's Wasm schema engine: same SQL, same
// `_prisma_migrations` rows as `prisma migrate deploy`, without the native engine binary.
import type { SqlDriverAdapterFactory, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { withWholeScriptExecution } from "./wholeScriptExecution.ts";
import { loadSchemaEngine } from "./loadSchemaEngine.ts";
import { readMigrationsList } from "./readMigrationsList.ts";
import { withDisposableConnections } from "./withDisposableConnections.ts";
import { logSettingsOf } from "../config.ts";

/** Applies every migration not yet recorded in `_prisma_migrations`; returns the names applied. */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory | SqlDriverAdapterFactory,
  options: { migrationsDir?: string } = {},
): Promise<string[]> {
  const migrationsList = await readMigrationsList(options.migrationsDir);
  const SchemaEngine = await loadSchemaEngine();
  const tracked = withDisposableConnections(adapterFactory, withWholeScriptExecution);
  try {
    // Deploy reads no datamodel: the connector comes from the adapter, the SQL from disk.
    const engine = await SchemaEngine.new({ datamodels: undefined }, logFromEngine, bindMigrationAwareSqlAdapterFactory(tracked.factory));
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({
        migrationsList,
        filters: { externalTables: [], externalEnums: [] },
      });
      return appliedMigrationNames;
    } finally {
      engine.free();
    }
  } finally {
    await tracked.disposeAll();
  }
}

// The engine reports its tracing events here (JSON strings). Quiet unless asked for.
function logFromEngine(message: string): void {
  if (logSettingsOf().traceSchemaEngine) console.error(`[schema-engine] ${message}`);
}
