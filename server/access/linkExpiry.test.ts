// Expiring share links on the real server (startServer, the real access policy, Better Auth
// sessions): a socket that owes its role to a link is closed when the link expires, whoever
// opened it, a guest or a signed-in account, and not before. An account whose own role is as
// strong as the link's keeps its socket: the link gave it nothing to lose.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import WebSocket from "ws";
import type { RunningServer } from "../startServer.ts";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "../testing/testDatabase.ts";
import { createLink, createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import { sleep } from "../testing/sleep.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import { CloseCode } from "../../lib/closeCodes.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { upgradeStatus } from "../testing/yClients.ts";

process.env.LOG_LEVEL = "silent";

/** How long the links of these tests live. */
const LINK_LIFETIME_MS = 1_500;
/** A socket may close this much before the expiry (clock reads on both sides) and no earlier. */
const EARLY_TOLERANCE_MS = 100;
/** ... and must close within this after it. */
const LATE_TOLERANCE_MS = 1_000;

// The policy's queries are the same on both engines; one is enough here.
const kind: DatabaseKind = process.env.DATABASE_URL ? "postgres" : "pglite";

/** An open socket and when (if) it closed, with which code. */
interface Watched {
  socket: WebSocket;
  closed: { code: number; at: number } | null;
}

function open(url: string, headers: Record<string, string>): Promise<Watched> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    const watched: Watched = { socket, closed: null };
    socket.once("open", () => resolve(watched));
    socket.once("error", reject);
    socket.once("close", (code) => (watched.closed = { code, at: Date.now() }));
  });
}

/** Asserts `watched` closed with `code` at `expiresAt`, neither early nor late. */
function assertClosedAtExpiry(watched: Watched, expiresAt: number, code: number, what: string): void {
  assert.ok(watched.closed, `${what}: still open ${Date.now() - expiresAt} ms after the link expired`);
  const offset = watched.closed.at - expiresAt;
  console.log(`[link-expiry] ${what}: closed ${watched.closed.code} at ${offset >= 0 ? "+" : ""}${offset} ms from the expiry`);
  assert.equal(watched.closed.code, code, what);
  assert.ok(offset >= -EARLY_TOLERANCE_MS, `${what}: closed ${-offset} ms before the link expired`);
  assert.ok(offset <= LATE_TOLERANCE_MS, `${what}: closed ${offset} ms after the link expired`);
}

describe(`expiring links on open sockets (${kind})`, () => {
  let db: TestDatabase;
  let server: RunningServer;
  let owner: TestAccount;
  let wsBase: string;
  let accounts = 0;
  const headers = (account: TestAccount) => ({ cookie: account.cookie, origin: `http://127.0.0.1:${server.port}` });

  before(async () => {
    db = (await createTestDatabase(kind))!;
    server = await startAppTestServer(db.options, { SIGNUP: "open" });
    wsBase = `ws://127.0.0.1:${server.port}/collab`;
    owner = await signUp(server.access, "Olivia Owner"); // the first account: the admin
  });
  after(async () => {
    await server?.close();
    await closeDatabase();
    await db?.drop();
  });

  /** A document, a signed-up member with `memberRole` on it (or none), and an editor link expiring soon. */
  async function setUp(memberRole: "viewer" | "editor" | null) {
    const prisma = server.database.prisma;
    const id = await createOwnedDocument(prisma, owner.id);
    const account = await signUp(server.access, `Member ${++accounts}`);
    if (memberRole) await prisma.documentMember.create({ data: { documentId: id, userId: account.id, role: memberRole } });
    const expiresAt = Date.now() + LINK_LIFETIME_MS;
    const link = await createLink(prisma, id, "editor", new Date(expiresAt));
    return { id, account, link, expiresAt };
  }

  test("a guest's socket closes when its link expires, not before", async () => {
    const { id, link, expiresAt } = await setUp(null);
    const guest = await open(`${wsBase}/${id}?token=${link.token}`, {});
    await sleep(expiresAt - Date.now() + LATE_TOLERANCE_MS);
    assertClosedAtExpiry(guest, expiresAt, CloseCode.FORBIDDEN, "guest");
  });

  test("a signed-in account with no role of its own, in through the link, is closed when the link expires", async () => {
    const { id, account, link, expiresAt } = await setUp(null);
    const socket = await open(`${wsBase}/${id}?token=${link.token}`, headers(account));
    await sleep(expiresAt - Date.now() + LATE_TOLERANCE_MS);
    try {
      assertClosedAtExpiry(socket, expiresAt, CloseCode.FORBIDDEN, "account without a role");
    } finally {
      socket.socket.terminate();
    }
    assert.equal(await upgradeStatus(`${wsBase}/${id}?token=${link.token}`, headers(account)), 401, "the expired link no longer opens it");
    assert.equal(await upgradeStatus(`${wsBase}/${id}`, headers(account)), 403, "nor does the account alone");
  });

  test("a viewer who edits through a link is closed at its expiry, and comes back as a viewer", async () => {
    const { id, account, link, expiresAt } = await setUp("viewer");
    const socket = await open(`${wsBase}/${id}?token=${link.token}`, headers(account));
    await sleep(expiresAt - Date.now() + LATE_TOLERANCE_MS);
    try {
      // 4403: the client reloads its role rather than keep typing edits the server would drop.
      assertClosedAtExpiry(socket, expiresAt, CloseCode.FORBIDDEN, "viewer with an editor link");
    } finally {
      socket.socket.terminate();
    }
    assert.equal(await upgradeStatus(`${wsBase}/${id}`, headers(account)), 101, "still a viewer on its own account");
  });

  test("an editor's socket outlives an editor link it also presented; if its own role drops, the link's expiry applies", async () => {
    // Its own role is as strong as the link's: the link's expiry takes nothing away.
    const kept = await setUp("editor");
    const keptSocket = await open(`${wsBase}/${kept.id}?token=${kept.link.token}`, headers(kept.account));
    // Its own role is lowered while the link is live: from then on its role rides on the link.
    const lowered = await setUp("editor");
    const loweredSocket = await open(`${wsBase}/${lowered.id}?token=${lowered.link.token}`, headers(lowered.account));
    try {
      await sleep(LINK_LIFETIME_MS / 3);
      const prisma = server.database.prisma;
      await prisma.documentMember.update({
        where: { documentId_userId: { documentId: lowered.id, userId: lowered.account.id } },
        data: { role: "viewer" },
      });
      server.access.changes.publish(lowered.id);
      await sleep(200);
      assert.equal(loweredSocket.closed, null, "the link still makes it an editor: kept");
      await sleep(Math.max(kept.expiresAt, lowered.expiresAt) - Date.now() + LATE_TOLERANCE_MS);
      assert.equal(keptSocket.closed, null, `an editor in its own right is not closed by the link's expiry (closed ${JSON.stringify(keptSocket.closed)})`);
      assertClosedAtExpiry(loweredSocket, lowered.expiresAt, CloseCode.FORBIDDEN, "editor lowered to viewer while the link was live");
    } finally {
      keptSocket.socket.terminate();
      loweredSocket.socket.terminate();
    }
  });
});
