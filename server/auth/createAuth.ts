// Accounts and sessions: Better Auth (email + password, scrypt-hashed; signed session cookie)
// on our Prisma client. Our rules on top: the first account is the admin, SIGNUP=invite
// admits only invited emails after that, and sign-in attempts are throttled.
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware } from "better-auth/api";
import type { PrismaClient } from "../db/Database.ts";
import { CLIENT_ADDRESS_HEADER } from "./clientAddress.ts";
import { SignInThrottle } from "./SignInThrottle.ts";
import { redeemInvitation } from "./invitations.ts";

/** Header carrying an invitation secret on sign-up while SIGNUP=invite. */
export const INVITE_HEADER = "x-invite-token";

/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 8;

export interface AuthOptions {
  prisma: PrismaClient;
  secret: string;
  /** PUBLIC_URL's origin. */
  publicUrl: string;
  /** Origins allowed to call the auth endpoints with cookies (PUBLIC_URL, plus loopback aliases). */
  trustedOrigins: string[];
  signup: "open" | "invite";
  throttle?: SignInThrottle;
}

export function createAuth(options: AuthOptions) {
  const { prisma } = options;
  const throttle = options.throttle ?? new SignInThrottle();
  return betterAuth({
    appName: "Collab",
    baseURL: options.publicUrl,
    basePath: "/api/auth",
    secret: options.secret,
    trustedOrigins: options.trustedOrigins,
    database: prismaAdapter(prisma, { provider: "postgresql" }),
    emailAndPassword: { enabled: true, minPasswordLength: MIN_PASSWORD_LENGTH, autoSignIn: true },
    user: {
      additionalFields: {
        role: { type: "string", required: false, defaultValue: "member", input: false },
        workspaceRole: { type: "string", required: false, input: false },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    // Sign-in and sign-up are limited by our throttle below (per address and per account, the
    // figures in the README); Better Auth's own limiter (per address and path) stays on for its
    // other endpoints, reading the address from our header (never from the client).
    advanced: { ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] } },
    rateLimit: {
      enabled: true,
      window: 60,
      max: 300,
      customRules: { "/sign-in/email": false, "/sign-up/email": false },
    },
    telemetry: { enabled: false },
    // Failed sign-ins are expected traffic; tests silence logs altogether.
    logger: { disabled: process.env.LOG_LEVEL === "silent", level: "error" },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email" && ctx.path !== "/sign-up/email") return;
        const address = ctx.headers?.get(CLIENT_ADDRESS_HEADER) ?? "unknown";
        const email = typeof ctx.body?.email === "string" ? ctx.body.email : null;
        const waitSeconds = throttle.attempt(address, email);
        if (waitSeconds > 0) {
          throw new APIError(
            "TOO_MANY_REQUESTS",
            { message: `Too many attempts. Try again in ${waitSeconds} s.`, code: "TOO_MANY_ATTEMPTS" },
            { "Retry-After": String(waitSeconds) },
          );
        }
      }),
    },
    databaseHooks: {
      user: {
        create: {
          before: async (user, ctx) => {
            const existing = await prisma.user.count();
            if (existing === 0) return { data: { ...user, role: "admin" } };
            // Accounts made by the admin command line have no request context: always allowed.
            if (!ctx || options.signup === "open") return { data: { ...user, role: "member" } };
            const invitation = await redeemInvitation(prisma, ctx.headers?.get(INVITE_HEADER) ?? null, user.email);
            if (!invitation) {
              throw new APIError("FORBIDDEN", {
                message: "Sign-up is by invitation only. Ask an admin for an invitation link.",
                code: "INVITATION_REQUIRED",
              });
            }
            return { data: { ...user, role: "member", workspaceRole: invitation.workspaceRole } };
          },
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
