// Accounts, documents and links for access tests, made through the same code paths the app
// uses (Better Auth's sign-up, our share-link module), against a running server's database.
import type { PrismaClient } from "../db/Database.ts";
import type { AccessContext } from "../access/accessContext.ts";
import { createShareLink } from "../access/shareLinks.ts";
import type { GrantableRole } from "../../lib/access/roles.ts";
import { newDocumentId } from "../../lib/documentId.ts";
import { openDatabase, type DatabaseOptions } from "../db/openDatabase.ts";

export interface TestAccount {
  id: string;
  name: string;
  email: string;
  /** `name=value` of the session cookie, for a Cookie header. */
  cookie: string;
}

let accounts = 0;

/** Signs up through Better Auth's sign-up endpoint and returns the session cookie it set. */
export async function signUp(access: AccessContext, name: string): Promise<TestAccount> {
  const email = `${name.toLowerCase().replace(/\W+/g, "-")}-${process.pid}-${++accounts}@example.test`;
  const { headers, response } = await access.auth.api.signUpEmail({
    body: { name, email, password: "correct horse battery" },
    returnHeaders: true,
  });
  const setCookie = headers.get("set-cookie") ?? "";
  const cookie = setCookie.split(";")[0];
  if (!cookie.includes("session_token=")) throw new Error(`no session cookie in ${setCookie}`);
  return { id: response.user.id, name, email, cookie };
}

export async function createOwnedDocument(prisma: PrismaClient, ownerId: string | null, title = "Test"): Promise<string> {
  const { id } = await prisma.document.create({ data: { id: newDocumentId(), title, ownerId } });
  return id;
}

export async function createLink(
  prisma: PrismaClient,
  documentId: string,
  role: GrantableRole,
  expiresAt: Date | null = null,
): Promise<{ id: string; token: string }> {
  const { link, secret } = await createShareLink(prisma, { documentId, role, expiresAt, createdById: null });
  return { id: link.id, token: secret };
}

/**
 * For tests that run the server in a child process: creates the documents and one edit link
 * each before the server starts (an embedded database is opened by one process at a time).
 */
export async function seedEditableDocuments(options: DatabaseOptions, documentIds: string[]): Promise<Map<string, string>> {
  const database = await openDatabase(options);
  try {
    const tokens = new Map<string, string>();
    for (const id of documentIds) {
      await database.prisma.document.create({ data: { id } });
      tokens.set(id, (await createLink(database.prisma, id, "editor")).token);
    }
    return tokens;
  } finally {
    await database.close();
  }
}
