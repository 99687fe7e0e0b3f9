// The sign-in throttle across instances: with REDIS_URL, two instances of one deployment count
// the same attempts (an address gets its burst once, not once per instance); while Redis is cut
// off, sign-in still answers, limited per instance, and shares again once Redis is back.
// Needs PostgreSQL (two instances, one database) and Redis; skipped without them, a failure
// under CI=true.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { RunningServer } from "../startServer.ts";
import { authClient } from "../testing/authHttp.ts";
import type { TcpProxy } from "../testing/TcpProxy.ts";
import { startInstancePair, type InstancePair } from "../testing/instancePair.ts";
import { DEFAULT_THROTTLE_LIMITS } from "./SignInThrottle.ts";
import { waitFor } from "../testing/yClients.ts";

process.env.LOG_LEVEL = "silent";
const redisUrl = process.env.REDIS_URL;
const missing = !process.env.DATABASE_URL || !redisUrl;
const skip = missing && process.env.CI !== "true" ? "DATABASE_URL and REDIS_URL are needed (two instances, one PostgreSQL)" : false;

describe("the sign-in throttle across instances (Redis)", { skip, timeout: 120_000 }, () => {
  let pair: InstancePair;
  let one: RunningServer;
  let two: RunningServer;
  let proxy: TcpProxy;
  let attempts = 0;

  before(async () => {
    assert.ok(!missing, "DATABASE_URL and REDIS_URL must be set under CI=true");
    pair = await startInstancePair(redisUrl!, { SIGNUP: "open", TRUST_PROXY: "true" });
    ({ one, two, redisProxy: proxy } = pair);
  });

  after(async () => {
    await pair?.close();
  });

  /** A wrong-password sign-in from `address` on `server`: its HTTP status. */
  async function attempt(server: RunningServer, address: string): Promise<number> {
    const response = await authClient(server).post(
      "/sign-in/email",
      { email: `nobody-${process.pid}-${++attempts}@example.test`, password: "wrong password" },
      { "x-forwarded-for": address },
    );
    return response.status;
  }

  /** Wrong-password attempts from `address`, taking turns over `servers`, until one is refused:
   *  how many were admitted (401) before it. Refills during the run (a sign-in hashes a password,
   *  ~0.1-0.5 s) admit a few more than the burst; two instances counting apart admit twice it. */
  async function admittedBeforeRefusal(servers: RunningServer[], address: string): Promise<number> {
    const limit = 3 * DEFAULT_THROTTLE_LIMITS.perAddressBurst;
    for (let i = 0; i < limit; i++) {
      const status = await attempt(servers[i % servers.length], address);
      if (status === 429) return i;
      assert.equal(status, 401, `attempt ${i + 1}`);
    }
    assert.fail(`no refusal after ${limit} attempts`);
  }

  /** Admitted attempts consistent with one shared burst (plus what refilled meanwhile). */
  function assertOneBurst(admitted: number, what: string): void {
    const { perAddressBurst } = DEFAULT_THROTTLE_LIMITS;
    assert.ok(admitted >= perAddressBurst && admitted < perAddressBurst + perAddressBurst / 2, `${what}: ${admitted} admitted, burst ${perAddressBurst}`);
  }

  test("an address's burst is shared: attempts taking turns on two instances are refused after one burst", async () => {
    assertOneBurst(await admittedBeforeRefusal([one, two], "198.51.100.70"), "two instances");
    // Refused on both instances now, while another address has its own burst.
    assert.equal(await attempt(one, "198.51.100.70"), 429);
    assert.equal(await attempt(two, "198.51.100.70"), 429);
    assert.equal(await attempt(two, "198.51.100.71"), 401);
  });

  test("with Redis cut off, sign-in still answers (limited per instance), and shares again once it is back", async () => {
    proxy.cut();
    await waitFor(async () => (await fetch(`${two.url}/readyz`)).status === 503, "instance two notices Redis is gone");
    assertOneBurst(await admittedBeforeRefusal([two], "198.51.100.80"), "instance two alone, in its memory");

    proxy.restore();
    await waitFor(async () => (await fetch(`${two.url}/readyz`)).status === 200, "instance two back on Redis", 20_000);
    assertOneBurst(await admittedBeforeRefusal([one, two], "198.51.100.81"), "two instances after Redis came back");
  });
});
