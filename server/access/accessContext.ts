// Everything access control needs, built once per process at start-up and shared with the
// Next.js route handlers and pages (kept on globalThis like the Database: Next bundles those
// separately, so module state would not be shared). It is also their one service context:
// handlers and pages reach the database through its `prisma` and `sql`, not getDatabase().
import type { Database, PrismaClient } from "../db/Database.ts";
import type { SqlClient } from "../db/SqlClient.ts";
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { createAuth, type Auth } from "../auth/createAuth.ts";
import { loadAuthSecret } from "../auth/authSecret.ts";
import { AccessChanges } from "./AccessChanges.ts";
import { createCollabAccessPolicy } from "./collabAccessPolicy.ts";
import type { CollabAccessPolicy } from "../collab/access.ts";
import { createHash } from "node:crypto";
import { DEFAULT_THROTTLE_LIMITS, SignInThrottle } from "../auth/SignInThrottle.ts";
import { MemoryThrottleStore } from "../auth/ThrottleStore.ts";
import { RedisThrottleStore } from "../auth/RedisThrottleStore.ts";
import { PasswordResetThrottle } from "../auth/PasswordResetThrottle.ts";
import { SignupMode } from "../admin/SignupMode.ts";
import type { RedisLink } from "../redis/RedisLink.ts";
import { Mailer } from "../mail/Mailer.ts";
import { NotificationHub } from "../notifications/NotificationHub.ts";

export interface AccessContext {
  prisma: PrismaClient;
  /** Plain SQL, for what Prisma does not model well (image bytes). */
  sql: SqlClient;
  auth: Auth;
  changes: AccessChanges;
  policy: CollabAccessPolicy;
  publicUrl: string;
  /** Origins a browser may send state-changing requests and WebSocket upgrades from. */
  allowedOrigins: readonly string[];
  /** Sign-up mode: SIGNUP until an admin stores one in /settings. */
  signup: SignupMode;
  /** Sign-in and sign-up limits: per address before the body is read, per account in Better Auth. */
  throttle: SignInThrottle;
  /** Invitation and password-reset mail; `enabled` false when SMTP_URL is unset. */
  mailer: Mailer;
  /** Live delivery of notifications to people's open pages (every instance, through Redis). */
  notifications: NotificationHub;
}

const globalForAccess = globalThis as typeof globalThis & { __collabAccess?: AccessContext };

export async function createAccessContext(
  { prisma, sql }: Pick<Database, "prisma" | "sql">,
  config: Config,
  log: Logger,
  redis: RedisLink | null,
): Promise<AccessContext> {
  const secret = await loadAuthSecret(prisma, config.authSecret);
  // Instances of one deployment share the auth secret; other deployments (or test servers)
  // using the same Redis count apart.
  const throttleStore = redis ? new RedisThrottleStore(redis, createHash("sha256").update(secret).digest("hex").slice(0, 16), log) : new MemoryThrottleStore();
  const throttle = new SignInThrottle(DEFAULT_THROTTLE_LIMITS, throttleStore);
  const signup = new SignupMode(prisma, config.signup);
  const mailer = new Mailer(config.mail, log);
  const auth = createAuth({
    mailer,
    log,
    throttle,
    resetThrottle: new PasswordResetThrottle(throttleStore),
    prisma,
    secret,
    publicUrl: config.publicUrl,
    trustedOrigins: config.allowedOrigins,
    signup,
  });
  const changes = new AccessChanges(redis, log);
  const policy = createCollabAccessPolicy({ prisma, auth, allowedOrigins: config.allowedOrigins, changes });
  const notifications = new NotificationHub(redis, log);
  return { prisma, sql, auth, changes, policy, publicUrl: config.publicUrl, allowedOrigins: config.allowedOrigins, signup, throttle, mailer, notifications };
}

export function setAccessContext(context: AccessContext): void {
  globalForAccess.__collabAccess = context;
}

/** The process's access context; throws when the server did not set one up (a bug, not input). */
export function getAccessContext(): AccessContext {
  const context = globalForAccess.__collabAccess;
  if (!context) throw new Error("access context not initialised: start the app with server/main.ts");
  return context;
}

/** The process's access context, or null when none was set up (a test driving only the collab
 *  server): for work that is optional without one, such as live notification delivery. */
export function peekAccessContext(): AccessContext | null {
  return globalForAccess.__collabAccess ?? null;
}
