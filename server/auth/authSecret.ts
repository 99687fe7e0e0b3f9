// The key that signs session cookies. AUTH_SECRET when set; otherwise one generated on first
// start and kept in the database, so every instance signs with the same key and restarts do
// not sign everybody out, with nothing for a newcomer to configure.
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "../db/Database.ts";

const SETTING_KEY = "auth_secret";

export async function loadAuthSecret(prisma: PrismaClient, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  // Insert-if-absent then read: instances starting together agree on whichever insert won.
  await prisma.setting.createMany({
    data: [{ key: SETTING_KEY, value: randomBytes(32).toString("base64url") }],
    skipDuplicates: true,
  });
  const row = await prisma.setting.findUniqueOrThrow({ where: { key: SETTING_KEY } });
  return row.value;
}
