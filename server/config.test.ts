// Configuration: defaults, and a bad variable stops start-up with a message naming it.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { ConfigError, loadConfig } from "./config.ts";

test("defaults when nothing is set", () => {
  const config = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.dataDir, "./data");
  assert.equal(config.redisUrl, undefined);
  assert.equal(config.dev, true);
  assert.equal(config.publicUrl, "http://localhost:3000");
  assert.equal(config.signup, "invite");
  assert.equal(config.authSecret, undefined);
  assert.equal(config.trustProxy, 0);
});

test("TRUST_PROXY: true is one proxy, a number is that many, false none", () => {
  assert.equal(loadConfig({ TRUST_PROXY: "true" }).trustProxy, 1);
  assert.equal(loadConfig({ TRUST_PROXY: "2" }).trustProxy, 2);
  assert.equal(loadConfig({ TRUST_PROXY: "false" }).trustProxy, 0);
});

test("PUBLIC_URL keeps only the origin", () => {
  assert.equal(loadConfig({ PUBLIC_URL: "https://docs.example.com/some/path/" }).publicUrl, "https://docs.example.com");
});

test("each bad variable is named in the error", () => {
  const cases: [string, string][] = [
    ["PORT", "eighty"],
    ["PORT", "70000"],
    ["DATABASE_URL", "mysql://x@y/z"],
    ["DATABASE_URL", "not a url"],
    ["REDIS_URL", "http://localhost"],
    ["MAX_PAYLOAD_BYTES", "-1"],
    ["PING_INTERVAL_MS", "5"],
    ["PUBLIC_URL", "ftp://example.com"],
    ["SIGNUP", "everyone"],
    ["AUTH_SECRET", "short"],
    ["TRUST_PROXY", "yes"],
    ["TRUST_PROXY", "11"],
  ];
  for (const [variable, value] of cases) {
    assert.throws(
      () => loadConfig({ [variable]: value }),
      (error: unknown) => error instanceof ConfigError && error.variable === variable && error.message.includes(variable),
      `${variable}=${value}`,
    );
  }
});

test("the server refuses to start on a bad variable and says which", () => {
  const root = path.resolve(import.meta.dirname, "..");
  const result = spawnSync(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: root,
    env: { ...process.env, PORT: "not-a-port", NODE_ENV: "production" },
    encoding: "utf8",
    timeout: 30_000,
  });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /Invalid PORT/);
});
