// The one database handle the server passes around: a Prisma client plus how to close it.
import type { PrismaClient } from "./generated/client.ts";

export type { PrismaClient };

/** An open, migrated database; `kind` says which engine backs it (for /readyz and logs). */
export interface Database {
  prisma: PrismaClient;
  kind: "postgres" | "pglite";
  close(): Promise<void>;
}
