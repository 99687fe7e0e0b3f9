// A server reached at an address other than PUBLIC_URL (a LAN IP, say) refuses browser
// sign-ins; the answer must name the right address and the fix, not "Invalid origin".
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { RunningServer } from "../startServer.ts";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { isForeignHost } from "./originMismatch.ts";

process.env.LOG_LEVEL = "silent";

describe("origin other than PUBLIC_URL", () => {
  let db: TestDatabase;
  let server: RunningServer;

  before(async () => {
    db = (await createTestDatabase("pglite"))!;
    server = await startAppTestServer(db.options, { SIGNUP: "open" });
  });

  after(async () => {
    await server?.close();
    await closeDatabase();
    await db?.drop();
  });

  const signUp = (origin: string | null) =>
    fetch(`http://127.0.0.1:${server.port}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(origin ? { origin } : {}) },
      body: JSON.stringify({ name: "Lan", email: `lan-${Date.now()}@example.test`, password: "correct horse battery" }),
    });

  test("a sign-up from another origin is refused 403 with the address to use and the setting to change", async () => {
    const response = await signUp("http://192.168.1.20:3000");
    assert.equal(response.status, 403);
    assert.match(response.headers.get("x-request-id") ?? "", /^[0-9a-f]{12}$/, "the refusal names its request id (as its log line does)");
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(error.code, "ORIGIN_MISMATCH");
    assert.match(error.message, /opened at http:\/\/192\.168\.1\.20:3000/);
    assert.match(error.message, new RegExp(`PUBLIC_URL is http://127\\.0\\.0\\.1:${server.port}`));
    assert.match(error.message, /PUBLIC_URL=http:\/\/192\.168\.1\.20:3000/);
  });

  test("PUBLIC_URL's own origin is served; a request without Origin is left to Better Auth's own rules", async () => {
    const served = await signUp(`http://127.0.0.1:${server.port}`);
    assert.equal(served.status, 200);
    assert.match(served.headers.get("x-request-id") ?? "", /^[0-9a-f]{12}$/, "every response carries its request id");
    const bare = await signUp(null);
    assert.notEqual(((await bare.json()) as { error?: { code?: string } }).error?.code, "ORIGIN_MISMATCH");
  });

  test("pages warn when their Host is not PUBLIC_URL's", () => {
    const allowed = ["https://docs.example.com"];
    assert.equal(isForeignHost("docs.example.com", allowed), false);
    assert.equal(isForeignHost("DOCS.example.com", allowed), false);
    assert.equal(isForeignHost("10.0.0.5:3000", allowed), true);
    assert.equal(isForeignHost(null, allowed), false);
  });
});
