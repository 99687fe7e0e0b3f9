// Account security through real HTTP against the real server (Better Auth behind our request
// pipeline): the first-admin race, bounded names, sign-in throttling that a guesser cannot
// turn into a lockout, X-Forwarded-For behind TRUST_PROXY, sign-up that does not reveal which
// emails have accounts, and sockets that end with the session that opened them.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import WebSocket from "ws";
import type { RunningServer } from "../startServer.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import { closeCode, withTimeout } from "../testing/yClients.ts";
import { createOwnedDocument } from "../testing/accessFixtures.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import { CloseCode } from "../../lib/closeCodes.ts";
import { USER_NAME_MAX_CHARS } from "../../lib/editor/userIdentity.ts";
import { SESSION_CHECK_INTERVAL_MS } from "../collab/AccessWatch.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { authClient, sessionCookie, TEST_PASSWORD } from "../testing/authHttp.ts";

process.env.LOG_LEVEL = "silent";
const PASSWORD = TEST_PASSWORD;

let emails = 0;
const email = (name: string) => `${name}-${process.pid}-${++emails}@example.test`;

for (const kind of databaseKinds) {
  describe(`account security over HTTP (${kind})`, () => {
    let db: TestDatabase;
    let server: RunningServer | null = null;

    before(async () => {
      db = (await createTestDatabase(kind))!;
      assert.ok(db, `${kind} database`);
    });

    after(async () => {
      await server?.close();
      await closeDatabase();
      await db?.drop();
    });

    async function restart(extra: Record<string, string>): Promise<RunningServer> {
      await server?.close();
      await closeDatabase();
      server = await startAppTestServer(db.options, extra);
      return server;
    }

    for (const signup of ["open", "invite"] as const) {
      test(`concurrent first sign-ups make exactly one admin (SIGNUP=${signup}, 15 trials of 5)`, async () => {
        // Each racer from its own address (behind a trusted proxy), so only the race is tested.
        const running = await restart({ SIGNUP: signup, TRUST_PROXY: "true" });
        const http = authClient(running);
        const prisma = running.database.prisma;
        const outcomes: string[] = [];
        for (let trial = 0; trial < 15; trial++) {
          await prisma.user.deleteMany({});
          const statuses = await Promise.all(
            Array.from({ length: 5 }, (_, i) => http.post("/sign-up/email", { name: `Racer ${i}`, email: email(`racer${i}`), password: PASSWORD }, { "x-forwarded-for": `10.${trial}.0.${i}` }).then((r) => r.status)),
          );
          const users = await prisma.user.findMany({ select: { role: true, workspaceRole: true } });
          const admins = users.filter((user) => user.role === "admin").length;
          outcomes.push(`${admins}/${users.length}`);
          assert.equal(admins, 1, `trial ${trial}: ${admins} admins (statuses ${statuses.join(",")})`);
          assert.ok(users.every((user) => user.role === "admin" || user.role === "member"), "no claim role is ever stored");
          // Under SIGNUP=invite nobody but the first got in without an invitation.
          if (signup === "invite") assert.equal(users.length, 1, `trial ${trial}: ${users.length} accounts without invitations`);
          else assert.equal(users.length, 5);
        }
        console.log(`[first admin ${kind} ${signup}] admins/accounts per trial: ${outcomes.join(" ")}`);
      });
    }

    test("names are bounded and canonical at sign-up and on update", async () => {
      const running = await restart({ SIGNUP: "open" });
      const http = authClient(running);
      const huge = await http.post("/sign-up/email", { name: "n".repeat(1_000_000), email: email("huge"), password: PASSWORD });
      assert.equal(huge.status, 400, "a 1,000,000-character name is refused");
      const long = await http.post("/sign-up/email", { name: "x".repeat(USER_NAME_MAX_CHARS + 1), email: email("long"), password: PASSWORD });
      assert.equal(long.status, 400);
      assert.match(await long.text(), /at most/);
      const blank = await http.post("/sign-up/email", { name: " \u0000\t ", email: email("blank"), password: PASSWORD });
      assert.equal(blank.status, 400, "a name of only control characters and spaces");
      const messy = await http.post("/sign-up/email", { name: "  Ada\u0000 \n\t Lovelace\u202e ", email: email("messy"), password: PASSWORD });
      assert.equal(messy.status, 200, await messy.clone().text());
      const cookie = sessionCookie(messy);
      const stored = await running.database.prisma.user.findFirstOrThrow({ where: { email: { startsWith: "messy-" } } });
      assert.equal(stored.name, "Ada Lovelace", "trimmed, one space, no control or bidi-override characters");
      const update = await http.post("/update-user", { name: "y".repeat(10_000) }, { cookie });
      assert.equal(update.status, 400, "update-user refuses an over-long name");
      const after = await running.database.prisma.user.findUniqueOrThrow({ where: { id: stored.id } });
      assert.equal(after.name, stored.name);
    });

    test("sign-up under SIGNUP=invite gives the same answer for a known and an unknown email", async () => {
      const running = await restart({ SIGNUP: "invite" });
      await running.database.prisma.user.deleteMany({});
      const http = authClient(running);
      const knownEmail = email("known");
      assert.equal((await http.post("/sign-up/email", { name: "Admin", email: knownEmail, password: PASSWORD })).status, 200);
      const known = await http.post("/sign-up/email", { name: "Again", email: knownEmail, password: PASSWORD });
      const unknown = await http.post("/sign-up/email", { name: "New", email: email("unknown"), password: PASSWORD });
      const knownBody = await known.json();
      const unknownBody = await unknown.json();
      assert.equal(known.status, unknown.status, `known ${known.status} vs unknown ${unknown.status}`);
      assert.equal(known.status, 403);
      assert.deepEqual(knownBody, unknownBody);
    });

    test("TRUST_PROXY keys limits on the address the proxy appended, for HTTP and for WebSockets", async () => {
      const running = await restart({ SIGNUP: "open", TRUST_PROXY: "true", MAX_CONNECTIONS_PER_IP: "2" });
      const http = authClient(running);
      // The client controls everything left of the proxy's own entry.
      const statuses: number[] = [];
      for (let i = 0; i < 22; i++) {
        const response = await http.post("/sign-in/email", { email: email(`nobody${i}`), password: "wrong password" }, { "x-forwarded-for": `203.0.113.${i}, 198.51.100.7` });
        statuses.push(response.status);
      }
      assert.equal(statuses.at(-1), 429, `one real address, forged first entries: ${statuses.join(",")}`);
      const other = await http.post("/sign-in/email", { email: email("nobody"), password: "wrong password" }, { "x-forwarded-for": "198.51.100.7, 198.51.100.8" });
      assert.equal(other.status, 401, "another real address is not limited");

      const owner = await http.post("/sign-up/email", { name: "Owner", email: email("owner"), password: PASSWORD }, { "x-forwarded-for": "192.0.2.50" });
      const cookie = sessionCookie(owner);
      const ownerId = (await running.database.prisma.user.findFirstOrThrow({ where: { email: { startsWith: "owner-" } } })).id;
      const id = await createOwnedDocument(running.database.prisma, ownerId);
      const upgrade = (forwarded: string) =>
        new Promise<number>((resolve) => {
          const socket = new WebSocket(`ws://127.0.0.1:${running.port}/collab/${id}`, { headers: { cookie, origin: http.origin, "x-forwarded-for": forwarded } });
          socket.once("open", () => resolve(101));
          socket.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
          socket.once("error", () => resolve(0));
        });
      const sameReal = [await upgrade("1.1.1.1, 192.0.2.60"), await upgrade("2.2.2.2, 192.0.2.60"), await upgrade("3.3.3.3, 192.0.2.60")];
      assert.deepEqual(sameReal, [101, 101, 429], "MAX_CONNECTIONS_PER_IP=2 per real client address");
      assert.equal(await upgrade("192.0.2.61"), 101, "another client behind the same proxy has its own bucket");
    });

    test("a guesser cannot lock the owner out: per (account, address) limits, back-off for strangers only", async () => {
      const running = await restart({ SIGNUP: "open", TRUST_PROXY: "true" });
      const http = authClient(running);
      const victim = email("victim");
      const home = { "x-forwarded-for": "192.0.2.10" };
      assert.equal((await http.post("/sign-up/email", { name: "Victim", email: victim, password: PASSWORD }, home)).status, 200);
      assert.equal((await http.post("/sign-in/email", { email: victim, password: PASSWORD }, home)).status, 200, "the owner signs in from home");

      // One address guessing one account: refused after the burst.
      const fromOne: number[] = [];
      for (let i = 0; i < 7; i++) fromOne.push((await http.post("/sign-in/email", { email: victim, password: `guess ${i}` }, { "x-forwarded-for": "198.51.100.1" })).status);
      assert.deepEqual(fromOne.slice(0, 5), [401, 401, 401, 401, 401]);
      assert.equal(fromOne.at(-1), 429, fromOne.join(","));

      // Many addresses guessing: after enough failures, unknown addresses must back off...
      const spread: number[] = [];
      for (let i = 0; i < 15; i++) spread.push((await http.post("/sign-in/email", { email: victim, password: `guess ${i}` }, { "x-forwarded-for": `198.51.100.${20 + i}` })).status);
      const refused = await http.post("/sign-in/email", { email: victim, password: "guess again" }, { "x-forwarded-for": "198.51.100.99" });
      assert.equal(refused.status, 429, `a new address backs off after ${spread.join(",")}`);
      assert.ok(Number(refused.headers.get("retry-after")) >= 1, "says when to retry");
      // ...while the owner, from the address they signed in from before, still gets in.
      const owner = await http.post("/sign-in/email", { email: victim, password: PASSWORD }, home);
      assert.equal(owner.status, 200, "the owner's usual address is not locked out");
    });

    test("sockets end with their session: sign-out, change-password (revoke others), account deleted", async () => {
      const running = await restart({ SIGNUP: "open" });
      const http = authClient(running);
      const address = email("sessions");
      const signUp = await http.post("/sign-up/email", { name: "Sessions", email: address, password: PASSWORD });
      const first = sessionCookie(signUp);
      const user = await running.database.prisma.user.findUniqueOrThrow({ where: { email: address } });
      const id = await createOwnedDocument(running.database.prisma, user.id);
      const open = (cookie: string) =>
        new Promise<WebSocket>((resolve, reject) => {
          const socket = new WebSocket(`ws://127.0.0.1:${running.port}/collab/${id}`, { headers: { cookie, origin: http.origin } });
          socket.once("open", () => resolve(socket));
          socket.once("error", reject);
        });
      const within = SESSION_CHECK_INTERVAL_MS + 1_000;

      // Sign-out.
      const signedOut = await open(first);
      const signOutAt = performance.now();
      const signedOutClose = closeCode(signedOut, within);
      assert.equal((await http.post("/sign-out", {}, { cookie: first })).status, 200);
      assert.equal(await withTimeout(signedOutClose, within + 500, "close after sign-out"), CloseCode.UNAUTHENTICATED);
      const signOutMs = performance.now() - signOutAt;

      // Change password, revoking other sessions: the other browser's socket ends. (Better Auth
      // also replaces the current session, handing this browser a new cookie that works.)
      const a = sessionCookie(await http.post("/sign-in/email", { email: address, password: PASSWORD }));
      const b = sessionCookie(await http.post("/sign-in/email", { email: address, password: PASSWORD }));
      const socketA = await open(a);
      const socketB = await open(b);
      const closedB = closeCode(socketB, within);
      const change = await http.post("/change-password", { currentPassword: PASSWORD, newPassword: "another good password", revokeOtherSessions: true }, { cookie: a });
      assert.equal(change.status, 200, await change.clone().text());
      assert.equal(await withTimeout(closedB, within + 500, "close after change-password"), CloseCode.UNAUTHENTICATED);
      socketA.terminate();
      const renewed = await open(sessionCookie(change));

      // The account deleted (admin command line, or straight in the database): sessions cascade.
      const closedRenewed = closeCode(renewed, within);
      await running.database.prisma.user.delete({ where: { id: user.id } });
      assert.equal(await withTimeout(closedRenewed, within + 500, "close after deletion"), CloseCode.UNAUTHENTICATED);
      console.log(`[sessions ${kind}] sign-out closed the socket in ${signOutMs.toFixed(0)} ms`);
    });
  });
}
