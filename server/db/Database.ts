// The one database handle the server passes around: a Prisma client plus how to close it.
import type { PrismaClient } from "./generated/client.ts";
import type { SqlClient } from "./SqlClient.ts";

export type { PrismaClient };

/** An open, migrated database; `kind` says which engine backs it (for /readyz and logs). */
export interface Database {
  prisma: PrismaClient;
  /** Plain SQL for the collab server's hot paths (see SqlClient.ts). */
  sql: SqlClient;
  kind: "postgres" | "pglite";
  close(): Promise<void>;
}
