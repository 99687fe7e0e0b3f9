// Prisma CLI configuration. The CLI is used only for `prisma generate` (see
// scripts/prisma-generate.mjs); migrations are applied by server/db/migrate.ts.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
