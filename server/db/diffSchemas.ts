// Generates migration SQL between two Prisma datamodels with the Wasm schema engine (the
// `prisma migrate diff --from-schema --to-schema --script` of a machine without the binary).
import { PGlite } from "@electric-sql/pglite";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { loadSchemaEngine } from "./loadSchemaEngine.ts";

/** A Prisma schema file: path (for error messages) and content. */
export interface SchemaFile {
  path: string;
  content: string;
}

/** SQL that turns a database shaped like `from` (null = empty) into one shaped like `to`. */
export async function diffSchemas(from: SchemaFile | null, to: SchemaFile): Promise<string> {
  const SchemaEngine = await loadSchemaEngine();
  // Quirk: SchemaEngine.new insists on a driver adapter even though a datamodel-to-datamodel
  // diff never touches a database, so we give it a throwaway in-memory PGlite.
  const pglite = new PGlite();
  try {
    const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(pglite));
    const engine = await SchemaEngine.new({ datamodels: [[to.path, to.content]] }, () => {}, adapter);
    try {
      const { stdout } = await engine.diff({
        from: from ? { tag: "schemaDatamodel", files: [from] } : { tag: "empty" },
        to: { tag: "schemaDatamodel", files: [to] },
        script: true,
        exitCode: null,
        filters: { externalTables: [], externalEnums: [] },
      });
      return stdout ?? "";
    } finally {
      engine.free();
    }
  } finally {
    await pglite.close();
  }
}
