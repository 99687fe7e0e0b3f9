// The self-hoster's command line (`npm run admin -- <command>`): accounts, passwords, share
// links and invitations. While the server runs it receives the command over its admin socket
// (server/admin/adminSocket.ts) and runs it here; otherwise the CLI runs it against the database. Passwords are hashed by Better Auth,
// exactly as on sign-up.
import type { PrismaClient } from "../db/Database.ts";
import type { ExportResult, ExportTask } from "../documents/conversion/conversionTasks.ts";
import type { Auth } from "../auth/createAuth.ts";
import { MIN_PASSWORD_LENGTH } from "../auth/createAuth.ts";
import { createShareLink, shareLinkUrl } from "../access/shareLinks.ts";
import { createInvitation, invitationUrl } from "../auth/invitations.ts";
import { changeWorkspaceMember } from "./workspaceMembers.ts";
import { exportWorkspace, importWorkspace } from "./workspaceExport.ts";
import type { DocumentStorage } from "../collab/storage/DocumentStorage.ts";
import { isGrantableRole, type GrantableRole } from "../../lib/access/roles.ts";
import { isValidDocumentId } from "../../lib/documentId.ts";
import type { Mailer } from "../mail/Mailer.ts";
import { deliver } from "../mail/mailDelivery.ts";
import { invitationMail } from "../mail/invitationMail.ts";
import { parseArgs as parseArgv, type ParseArgsConfig } from "node:util";

export class UsageError extends Error {}

export const USAGE = `usage: npm run admin -- <command> [options]

  create-user --email E --name N --password P [--admin] [--workspace-role ROLE]
      Creates an account (also while SIGNUP=invite). --admin makes it a workspace admin.
  reset-password --email E --password P
      Sets a new password and signs the account out everywhere.
  share --document ID --role ROLE [--expires-days N]
      Creates a share link and prints its URL.
  invite --email E [--workspace-role ROLE]
      Creates a sign-up invitation (valid 7 days) and prints its URL; mails it to E too when
      SMTP_URL and MAIL_FROM are set (and says whether that worked).
  set-workspace-role --email E --role ROLE|none
      Gives an account a role on every document of the workspace, or removes it.
  deactivate --email E
      Signs the account out everywhere (its open editors close) and refuses its sign-ins.
  reactivate --email E
      Lets a deactivated account sign in again.
  list-users
      Prints every account with its roles.
  export --out DIR
      Writes every document (Markdown, HTML, its exact Yjs state, images), the accounts and
      roles, and a manifest to a new directory DIR (mode 0700: it holds password hashes).
  import DIR
      Restores an export into an empty instance, all or nothing.
  move-to-postgres --to DATABASE_URL
      With the server stopped: copies this embedded (PGlite) instance into an empty PostgreSQL
      database, in one transaction, verified by row counts and content hashes.

ROLE is viewer, commenter or editor (view, comment and edit are accepted too).`;

export interface AdminContext {
  prisma: PrismaClient;
  /** The document log and snapshots (export reads each document's whole Yjs state). */
  storage: DocumentStorage;
  auth: Auth;
  publicUrl: string;
  /** Where results go (one line each); errors are thrown. */
  print(line: string): void;
  /** Tells the running servers that access to a document changed (Redis), when configured. */
  accessChanged(documentId: string): void;
  /** Converts a document for the export: the running server's worker pool, so its sockets are
   *  not held up; a CLI on its own converts inline (nothing else runs in its process). */
  convert?(task: ExportTask): Promise<ExportResult>;
  /** Sends invitations when email is configured (SMTP_URL); omitted or off, links are only printed. */
  mailer?: Mailer;
}

type Options = Record<string, string | true>;

/** Commands that take one argument that is not an option (`import <dir>`). */
const POSITIONAL_COMMANDS = new Set(["import"]);

/** Every option a command takes: `--admin` is a flag, the others take a value. */
const OPTION_SPECS = {
  admin: { type: "boolean" },
  help: { type: "boolean" },
  document: { type: "string" },
  email: { type: "string" },
  "expires-days": { type: "string" },
  name: { type: "string" },
  out: { type: "string" },
  password: { type: "string" },
  role: { type: "string" },
  to: { type: "string" },
  "workspace-role": { type: "string" },
} as const satisfies ParseArgsConfig["options"];

export function parseArgs(args: string[]): { command: string | undefined; options: Options; positional: string[] } {
  const [command, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgv({ args: withJoinedValues(rest), options: OPTION_SPECS, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util names the offending option; say it in the command's own words.
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  const positional = parsed.positionals;
  if (positional.length > (POSITIONAL_COMMANDS.has(command ?? "") ? 1 : 0)) {
    throw new UsageError(`unexpected argument "${positional.at(-1)}"`);
  }
  const options: Options = {};
  for (const [name, value] of Object.entries(parsed.values)) if (value !== undefined && value !== false) options[name] = value;
  return { command, options, positional };
}

/**
 * `--document -x1…` as `--document=-x1…`: node:util refuses a value that starts with a dash as
 * ambiguous, but document ids and passwords may. A value-taking option takes the next argument
 * unless that is another of our options (then node:util says the value is missing).
 */
function withJoinedValues(args: string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith("--") && !args[i].includes("=") ? args[i].slice(2) : null;
    const next = args[i + 1];
    const takesValue = name !== null && name in OPTION_SPECS && OPTION_SPECS[name as keyof typeof OPTION_SPECS].type === "string";
    if (takesValue && next !== undefined && next.startsWith("-") && !isOurOption(next)) {
      joined.push(`${args[i]}=${next}`);
      i++;
    } else {
      joined.push(args[i]);
    }
  }
  return joined;
}

function isOurOption(arg: string): boolean {
  return arg.startsWith("--") && arg.slice(2).split("=", 1)[0] in OPTION_SPECS;
}

function required(options: Options, name: string): string {
  const value = options[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`--${name} is required`);
  return value.trim();
}

function role(value: string): GrantableRole {
  const aliases: Record<string, string> = { view: "viewer", comment: "commenter", edit: "editor" };
  const normalized = aliases[value] ?? value;
  if (!isGrantableRole(normalized)) throw new UsageError(`unknown role "${value}" (viewer, commenter or editor)`);
  return normalized;
}

function password(options: Options): string {
  const value = required(options, "password");
  if (value.length < MIN_PASSWORD_LENGTH) throw new UsageError(`--password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  return value;
}

async function userByEmail(prisma: PrismaClient, email: string) {
  const user = await prisma.user.findUnique({ where: { email: email.toLowerCase() } });
  if (!user) throw new UsageError(`no account with email ${email}`);
  return user;
}

export async function runAdminCommand(context: AdminContext, args: string[]): Promise<void> {
  const { command, options, positional } = parseArgs(args);
  const { prisma, auth, print } = context;
  switch (command) {
    case "create-user": {
      const email = required(options, "email").toLowerCase();
      const name = required(options, "name");
      const secret = password(options);
      const workspaceRole = typeof options["workspace-role"] === "string" ? role(options["workspace-role"]) : null;
      if (await prisma.user.findUnique({ where: { email } })) throw new UsageError(`an account with email ${email} exists`);
      const ctx = await auth.$context;
      const user = await ctx.internalAdapter.createUser({ email, name }, { method: "admin" });
      await ctx.internalAdapter.linkAccount({
        userId: user.id,
        providerId: "credential",
        accountId: user.id,
        password: await ctx.password.hash(secret),
      });
      // The create hook made the first account admin; --admin and --workspace-role apply on top.
      const updated = await prisma.user.update({
        where: { id: user.id },
        data: { ...(options.admin === true ? { role: "admin" } : {}), ...(workspaceRole ? { workspaceRole } : {}) },
      });
      print(`created ${updated.email} (${updated.role}${updated.workspaceRole ? `, ${updated.workspaceRole} on every document` : ""})`);
      return;
    }
    case "reset-password": {
      const user = await userByEmail(prisma, required(options, "email"));
      const ctx = await auth.$context;
      const hash = await ctx.password.hash(password(options));
      const updated = await prisma.account.updateMany({ where: { userId: user.id, providerId: "credential" }, data: { password: hash } });
      if (updated.count === 0) {
        await ctx.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: hash });
      }
      // Whoever knew the old password may hold a session: end them all.
      await prisma.session.deleteMany({ where: { userId: user.id } });
      print(`password reset for ${user.email}; existing sessions signed out`);
      return;
    }
    case "share": {
      const documentId = required(options, "document");
      if (!isValidDocumentId(documentId) || !(await prisma.document.findUnique({ where: { id: documentId } }))) {
        throw new UsageError(`no document with id ${documentId}`);
      }
      const days = options["expires-days"];
      let expiresAt: Date | null = null;
      if (days !== undefined) {
        const n = Number(days);
        if (!Number.isInteger(n) || n < 1 || n > 3650) throw new UsageError("--expires-days must be a whole number from 1 to 3650");
        expiresAt = new Date(Date.now() + n * 24 * 60 * 60_000);
      }
      const { secret } = await createShareLink(prisma, { documentId, role: role(required(options, "role")), expiresAt, createdById: null });
      print(shareLinkUrl(context.publicUrl, documentId, secret));
      return;
    }
    case "invite": {
      const email = required(options, "email").toLowerCase();
      const workspaceRole = typeof options["workspace-role"] === "string" ? role(options["workspace-role"]) : null;
      const { secret, expiresAt } = await createInvitation(prisma, email, { workspaceRole });
      const url = invitationUrl(context.publicUrl, secret, email);
      print(url);
      if (!context.mailer) return;
      const mail = await deliver(context.mailer, invitationMail({ to: email, url, expiresAt, inviterName: null, publicUrl: context.publicUrl }));
      // The invitation exists whatever happened to the mail: the link above still works.
      if (mail.status === "sent") print(`mailed to ${email}`);
      else if (mail.status === "failed") print(`not mailed (${mail.reason}); send the link above yourself`);
      return;
    }
    case "set-workspace-role": {
      const user = await userByEmail(prisma, required(options, "email"));
      const value = required(options, "role");
      const workspaceRole = value === "none" ? null : role(value);
      await prisma.user.update({ where: { id: user.id }, data: { workspaceRole } });
      // Lowering it must reach open sockets on every document.
      const documents = await prisma.document.findMany({ select: { id: true } });
      for (const { id } of documents) context.accessChanged(id);
      print(`${user.email}: ${workspaceRole ?? "no"} workspace role`);
      return;
    }
    case "deactivate":
    case "reactivate": {
      const user = await userByEmail(prisma, required(options, "email"));
      const deactivated = command === "deactivate";
      await changeWorkspaceMember(prisma, null, user.id, { deactivated });
      print(`${user.email}: ${deactivated ? "deactivated; signed out everywhere" : "reactivated"}`);
      return;
    }
    case "export":
      await exportWorkspace(context, required(options, "out"), print);
      return;
    case "import": {
      const dir = positional[0];
      if (!dir) throw new UsageError("import needs the export's directory: npm run admin -- import <dir>");
      await importWorkspace(prisma, dir, print);
      return;
    }
    case "move-to-postgres":
      // The CLI runs the move itself (scripts/admin.ts); reaching here means it came over the
      // admin socket, i.e. this server is running on the data it would move.
      throw new Error("move-to-postgres needs the server stopped: stop the server first, then run it again");
    case "list-users": {
      const users = await prisma.user.findMany({ orderBy: { createdAt: "asc" } });
      for (const user of users) {
        print(`${user.email}\t${user.name}\t${user.role}\t${user.workspaceRole ?? "-"}${user.deactivatedAt ? "\tdeactivated" : ""}`);
      }
      return;
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : "no command given");
  }
}
