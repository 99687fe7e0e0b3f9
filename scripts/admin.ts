// `npm run admin -- <command>`: see server/admin/adminCommands.ts (or run without arguments).
// While the server runs, the command goes to it over its admin socket (server/admin/adminSocket.ts):
// no downtime, also on the embedded database. Otherwise the CLI opens the database itself.
import { loadConfig, ConfigError } from "../server/config.ts";
import { openDatabase } from "../server/db/openDatabase.ts";
import { loadAuthSecret } from "../server/auth/authSecret.ts";
import { createAuth } from "../server/auth/createAuth.ts";
import { RedisLink } from "../server/redis/RedisLink.ts";
import { AccessChanges } from "../server/access/AccessChanges.ts";
import { runAdminCommand, USAGE, UsageError } from "../server/admin/adminCommands.ts";
import { adminSocketPath, runOverAdminSocket } from "../server/admin/adminSocket.ts";
import { log } from "../server/log.ts";
import { SqlDocumentStorage } from "../server/collab/storage/SqlDocumentStorage.ts";
import { SignupMode } from "../server/admin/SignupMode.ts";
import { moveToPostgres, MoveRefusedError } from "../server/admin/moveToPostgres.ts";
import { parseArgs } from "../server/admin/adminCommands.ts";
import { Mailer } from "../server/mail/Mailer.ts";

const args = process.argv.slice(2);
if (args.length === 0 || args[0] === "help" || args[0] === "--help") {
  console.log(USAGE);
  process.exit(args.length === 0 ? 2 : 0);
}

async function runDirectly(config: ReturnType<typeof loadConfig>): Promise<void> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  // Other running instances re-check their sockets when this command changes access.
  const redis = config.redisUrl ? new RedisLink(config.redisUrl, log) : null;
  const changes = new AccessChanges(redis, log);
  const mailer = new Mailer(config.mail, log);
  try {
    const secret = await loadAuthSecret(database.prisma, config.authSecret);
    const auth = createAuth({
      prisma: database.prisma,
      secret,
      publicUrl: config.publicUrl,
      trustedOrigins: config.allowedOrigins,
      signup: new SignupMode(database.prisma, config.signup),
    });
    await runAdminCommand(
      {
        prisma: database.prisma,
        storage: new SqlDocumentStorage(database.sql),
        auth,
        publicUrl: config.publicUrl,
        print: (line) => console.log(line),
        accessChanged: (documentId) => changes.publish(documentId),
        mailer,
      },
      args,
    );
  } finally {
    mailer.close();
    await changes.close();
    await redis?.close();
    await database.close();
  }
}

/** The progress line: rewritten in place on a terminal, left out of logs and pipes. */
function progress(line: string): void {
  if (process.stdout.isTTY) process.stdout.write(line ? `\r\x1b[K${line}` : "\r\x1b[K");
}

async function runMove(config: ReturnType<typeof loadConfig>): Promise<{ done: true }> {
  const { options } = parseArgs(args);
  if (typeof options.to !== "string") throw new UsageError("move-to-postgres needs --to <DATABASE_URL> of an empty PostgreSQL database");
  if (config.databaseUrl) throw new UsageError("DATABASE_URL is set: this instance already runs on PostgreSQL (unset it to move the embedded database in DATA_DIR)");
  await moveToPostgres({ dataDir: config.dataDir, to: options.to, print: (line) => console.log(line), progress });
  return { done: true };
}

let exitCode = 0;
try {
  const config = loadConfig();
  // Not over the admin socket: the move refuses a running server (moveToPostgres checks it).
  const remote = args[0] === "move-to-postgres" ? await runMove(config) : await runOverAdminSocket(adminSocketPath(config.dataDir), args, (line) => console.log(line));
  if (remote === null) await runDirectly(config);
  else if ("error" in remote) {
    console.error(remote.usage ? `error: ${remote.error}\n\n${USAGE}` : remote.error);
    exitCode = remote.usage ? 2 : 1;
  }
} catch (error) {
  if (error instanceof UsageError) console.error(`error: ${error.message}\n\n${USAGE}`);
  else if (error instanceof ConfigError || error instanceof MoveRefusedError) console.error(error.message);
  else console.error(error instanceof Error ? error.message : error);
  exitCode = error instanceof UsageError ? 2 : 1;
}
process.exit(exitCode);
