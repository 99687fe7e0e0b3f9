// The sign-in throttle and the password-reset limits across instances: with REDIS_URL, two
// instances of one deployment count the same attempts (an address gets its burst once, not once
// per instance; an account gets its reset mails once); while Redis is cut off, sign-in still
// answers, limited per instance, and shares again once Redis is back.
// Needs PostgreSQL (two instances, one database) and Redis; skipped without them, a failure
// under CI=true.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { RunningServer } from "../startServer.ts";
import { authClient, TEST_PASSWORD } from "../testing/authHttp.ts";
import { startSmtpInbox, type SmtpInbox } from "../testing/smtpInbox.ts";
import { RESET_MAILS_PER_ACCOUNT, RESET_REQUESTS_BURST } from "./PasswordResetThrottle.ts";
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

describe("the password-reset limits across instances (Redis)", { skip, timeout: 120_000 }, () => {
  let pair: InstancePair;
  let inbox: SmtpInbox;
  let addresses = 0;
  const nextAddress = () => `198.51.100.${100 + ++addresses}`;

  before(async () => {
    inbox = await startSmtpInbox();
    pair = await startInstancePair(redisUrl!, { SIGNUP: "open", TRUST_PROXY: "true", SMTP_URL: inbox.url, MAIL_FROM: "docs@example.test" });
  });

  after(async () => {
    await pair?.close();
    await inbox?.close();
  });

  /** Asks `server` for a reset mail to `email` from `address`: the HTTP status. */
  async function askReset(server: RunningServer, email: string, address: string): Promise<number> {
    return (await authClient(server).post("/request-password-reset", { email }, { "x-forwarded-for": address })).status;
  }

  async function signUp(email: string): Promise<void> {
    const response = await authClient(pair.one).post("/sign-up/email", { name: "Reset", email, password: TEST_PASSWORD }, { "x-forwarded-for": nextAddress() });
    assert.equal(response.status, 200, await response.text());
  }

  test("an address's reset requests taking turns on two instances are refused after one burst", async () => {
    const address = nextAddress();
    const statuses: number[] = [];
    for (let i = 0; i <= RESET_REQUESTS_BURST; i++) statuses.push(await askReset(i % 2 ? pair.two : pair.one, `nobody-${i}@example.test`, address));
    assert.deepEqual(statuses, [...Array(RESET_REQUESTS_BURST).fill(200), 429]);
    assert.equal(await askReset(pair.one, "nobody@example.test", address), 429);
    assert.equal(await askReset(pair.two, "nobody@example.test", nextAddress()), 200, "another address has its own burst");
  });

  test("an account gets its reset mails once across instances, whoever asks", async () => {
    const email = `reset-${process.pid}@example.test`;
    const marker = `marker-${process.pid}@example.test`;
    await signUp(email);
    await signUp(marker);
    const asked = RESET_MAILS_PER_ACCOUNT + 2;
    for (let i = 0; i < asked; i++) assert.equal(await askReset(i % 2 ? pair.two : pair.one, email, nextAddress()), 200, "answered the same, mailed or not");
    const mailedTo = () => inbox.mails.filter((mail) => mail.to.includes(email)).length;
    await waitFor(() => mailedTo() >= RESET_MAILS_PER_ACCOUNT, "the admitted reset mails", 15_000);
    // Each instance decided before answering; a mail either admitted would have been sent
    // before these, asked afterwards on both instances.
    for (const server of [pair.one, pair.two]) {
      const since = inbox.mails.length;
      assert.equal(await askReset(server, marker, nextAddress()), 200);
      await inbox.mailTo(marker, { since });
    }
    const received = mailedTo();
    assert.equal(received, RESET_MAILS_PER_ACCOUNT, `${asked} asked on two instances, ${received} mailed`);
  });
});
