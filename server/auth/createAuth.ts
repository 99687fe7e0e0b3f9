// Accounts and sessions: Better Auth (email + password, scrypt-hashed; signed session cookie)
// on our Prisma client. Our rules on top: the first account is the admin (decided atomically
// by the database, see the first_admin_claim migration), SIGNUP=invite admits only invited
// emails after that, names are canonical and bounded, and sign-in attempts are throttled.
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware } from "better-auth/api";
import type { PrismaClient } from "../db/Database.ts";
import { CLIENT_ADDRESS_HEADER } from "./clientAddress.ts";
import { SignInThrottle } from "./SignInThrottle.ts";
import { grantInvitedDocument, invitationProblem, redeemInvitation } from "./invitations.ts";
import type { SignupModeSource } from "../admin/SignupMode.ts";
import { checkAccountName } from "../../lib/editor/userIdentity.ts";
import { Mailer } from "../mail/Mailer.ts";
import { log as processLog, type Logger } from "../log.ts";
import { passwordResetMail } from "../mail/passwordResetMail.ts";
import { PasswordResetThrottle } from "./PasswordResetThrottle.ts";
import { RESET_MAIL_TTL_SECONDS, resetPasswordUrl } from "./passwordReset.ts";
import { logSettingsOf } from "../config.ts";

/** Header carrying an invitation secret on sign-up while SIGNUP=invite. */
export const INVITE_HEADER = "x-invite-token";

/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 8;

/** Roles the sign-up hook asks for when the workspace looks empty; the database trigger turns
 *  the first into "admin" and any later one into "member" (open) or a refusal (invite). */
const FIRST_ADMIN_OR_MEMBER = "first-admin-or-member";
const FIRST_ADMIN_CLAIM = "first-admin-claim";

export interface AuthOptions {
  prisma: PrismaClient;
  secret: string;
  /** PUBLIC_URL's origin. */
  publicUrl: string;
  /** Origins allowed to call the auth endpoints with cookies (PUBLIC_URL, plus loopback aliases). */
  trustedOrigins: string[];
  /** The sign-up mode, read at each sign-up (admins change it in /settings). */
  signup: SignupModeSource;
  throttle?: SignInThrottle;
  /** Limits on asking for reset mail (per address, per account); in memory when omitted. */
  resetThrottle?: PasswordResetThrottle;
  /** Sends password-reset mail; when email is off (the default: the command line), asking for
   *  a reset says to ask an admin. */
  mailer?: Mailer;
  log?: Logger;
}

export function createAuth(options: AuthOptions) {
  const { prisma } = options;
  const throttle = options.throttle ?? new SignInThrottle();
  /** A sign-in address the account used before (a session was created from it). */
  const log = options.log ?? processLog;
  const mailer = options.mailer ?? new Mailer(null, log);
  const resetThrottle = options.resetThrottle ?? new PasswordResetThrottle();
  const isUsualAddress = async (email: string, address: string) =>
    (await prisma.session.count({ where: { ipAddress: address, user: { email: email.trim().toLowerCase() } } })) > 0;
  return betterAuth({
    appName: "Collab",
    baseURL: options.publicUrl,
    basePath: "/api/auth",
    secret: options.secret,
    trustedOrigins: options.trustedOrigins,
    database: prismaAdapter(prisma, { provider: "postgresql" }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      autoSignIn: true,
      resetPasswordTokenExpiresIn: RESET_MAIL_TTL_SECONDS,
      // Whoever knew the old password may hold a session: a reset ends them all (and with them
      // the account's sockets, at their next session check).
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: async ({ user, token }) => {
        const deactivated = await prisma.user.findUnique({ where: { id: user.id }, select: { deactivatedAt: true } });
        if (deactivated?.deactivatedAt || !(await resetThrottle.admitMail(user.id))) {
          log.info("password reset mail skipped", { user: user.id, reason: deactivated?.deactivatedAt ? "deactivated" : "per-account limit" });
          return;
        }
        const message = passwordResetMail({
          to: user.email,
          name: user.name,
          url: resetPasswordUrl(options.publicUrl, token),
          validMinutes: RESET_MAIL_TTL_SECONDS / 60,
        });
        // Not awaited: the answer must come as fast for an account as for an unknown email.
        // The Mailer never throws; a failure is logged and shown to admins in /settings.
        void mailer.send(message);
      },
      onPasswordReset: async ({ user }) => log.info("password reset", { user: user.id }),
    },
    // Reset tokens are bearer secrets: only their hash is stored, like invitations'.
    verification: { storeIdentifier: "hashed" },
    user: {
      additionalFields: {
        role: { type: "string", required: false, defaultValue: "member", input: false },
        workspaceRole: { type: "string", required: false, input: false },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    // Sign-in, sign-up and reset requests are limited by our throttles below (per address and
    // per account, the figures in the README; in Redis when set, so they hold across instances);
    // Better Auth's own limiter (per address and path, in this process's memory) stays on for
    // its other endpoints, reading the address from our header (never from the client).
    advanced: { ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] } },
    rateLimit: {
      enabled: true,
      window: 60,
      max: 300,
      customRules: { "/sign-in/email": false, "/sign-up/email": false, "/request-password-reset": false },
    },
    telemetry: { enabled: false },
    // Failed sign-ins are expected traffic; tests silence logs altogether.
    logger: { disabled: logSettingsOf().level === "silent", level: "error" },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const signingUp = ctx.path === "/sign-up/email";
        if (signingUp || ctx.path === "/update-user") {
          // Names go into every presence frame and list: bounded, canonical, no control characters.
          if (signingUp || ctx.body?.name !== undefined) {
            const name = checkAccountName(ctx.body?.name);
            if (!name.ok) throw new APIError("BAD_REQUEST", { message: name.message, code: "INVALID_NAME" });
          }
        }
        if (ctx.path === "/request-password-reset" && !mailer.enabled) {
          throw new APIError("BAD_REQUEST", {
            message: "This server does not send email, so reset links cannot be mailed. Ask an admin for a password reset link.",
            code: "EMAIL_NOT_CONFIGURED",
          });
        }
        if (ctx.path === "/request-password-reset") {
          const waitSeconds = await resetThrottle.admitRequest(ctx.headers?.get(CLIENT_ADDRESS_HEADER) ?? "unknown");
          if (waitSeconds > 0) throw tooManyAttempts(waitSeconds);
          return;
        }
        if (ctx.path !== "/sign-in/email" && !signingUp) return;
        // The per-address limit ran before the body was read (server/startServer.ts).
        const address = ctx.headers?.get(CLIENT_ADDRESS_HEADER) ?? "unknown";
        const email = typeof ctx.body?.email === "string" ? ctx.body.email : null;
        if (email !== null) {
          const waitSeconds = await throttle.admitAccount(address, email, isUsualAddress);
          if (waitSeconds > 0) throw tooManyAttempts(waitSeconds);
        }
        // Without a live invitation the answer is the same whether or not the email already has
        // an account: decided here, before Better Auth's own "already exists" check could tell.
        // An invitation link that cannot be used (used, revoked, expired, another email) says
        // which, in either sign-up mode: signing up without its roles would lose them silently.
        if (signingUp && (await prisma.user.count()) > 0) {
          const secret = ctx.headers?.get(INVITE_HEADER) ?? null;
          if (secret !== null) {
            const problem = await invitationProblem(prisma, secret, email ?? "");
            if (problem) throw new APIError("FORBIDDEN", problem);
          } else if ((await options.signup.current()) === "invite") throw invitationRequired();
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email" || typeof ctx.body?.email !== "string") return;
        const address = ctx.headers?.get(CLIENT_ADDRESS_HEADER) ?? "unknown";
        await throttle.recordSignIn(address, ctx.body.email, !(ctx.context.returned instanceof APIError));
      }),
    },
    databaseHooks: {
      session: {
        create: {
          // A deactivated account cannot sign in (its existing sessions were deleted).
          before: async (session) => {
            const user = await prisma.user.findUnique({ where: { id: session.userId }, select: { deactivatedAt: true } });
            if (user?.deactivatedAt) throw accountDeactivated();
          },
        },
      },
      user: {
        create: {
          before: async (user, ctx) => {
            const checked = checkAccountName(user.name);
            if (!checked.ok) throw new APIError("BAD_REQUEST", { message: checked.message, code: "INVALID_NAME" });
            const named = { ...user, name: checked.name };
            // Accounts made by the admin command line have no request context: always allowed.
            const needsInvitation = ctx !== null && ctx !== undefined && (await options.signup.current()) === "invite";
            if ((await prisma.user.count()) === 0) {
              // Looks like the first: the database decides atomically (two racing sign-ups both count 0).
              return { data: { ...named, role: needsInvitation ? FIRST_ADMIN_CLAIM : FIRST_ADMIN_OR_MEMBER } };
            }
            // An invitation link also counts under SIGNUP=open: it carries a workspace role (and
            // maybe a document) the admin chose.
            const secret = ctx?.headers?.get(INVITE_HEADER) ?? null;
            const invitation = secret === null ? null : await redeemInvitation(prisma, secret, user.email);
            if (secret !== null && !invitation) {
              // Checked live before; another sign-up with the same link won the race meanwhile.
              const problem = await invitationProblem(prisma, secret, user.email);
              throw problem ? new APIError("FORBIDDEN", problem) : invitationRequired();
            }
            if (!invitation && needsInvitation) throw invitationRequired();
            return { data: { ...named, role: "member", workspaceRole: invitation?.workspaceRole ?? null } };
          },
          after: async (user, ctx) => {
            // An invitation made from a document's Share dialog gives its role on acceptance.
            const secret = ctx?.headers?.get(INVITE_HEADER) ?? null;
            if (secret !== null) await grantInvitedDocument(prisma, secret, user.id, user.email);
          },
        },
        update: {
          before: async (user) => {
            if (user.name === undefined) return;
            const checked = checkAccountName(user.name);
            if (!checked.ok) throw new APIError("BAD_REQUEST", { message: checked.message, code: "INVALID_NAME" });
            return { data: { ...user, name: checked.name } };
          },
        },
      },
    },
  });
}

function accountDeactivated(): APIError {
  return new APIError("FORBIDDEN", {
    message: "This account has been deactivated. Ask an admin to reactivate it.",
    code: "ACCOUNT_DEACTIVATED",
  });
}

function tooManyAttempts(waitSeconds: number): APIError {
  return new APIError(
    "TOO_MANY_REQUESTS",
    { message: `Too many attempts. Try again in ${waitSeconds} s.`, code: "TOO_MANY_ATTEMPTS" },
    { "Retry-After": String(waitSeconds) },
  );
}

function invitationRequired(): APIError {
  return new APIError("FORBIDDEN", {
    message: "Sign-up is by invitation only. Ask an admin for an invitation link.",
    code: "INVITATION_REQUIRED",
  });
}

export type Auth = ReturnType<typeof createAuth>;
