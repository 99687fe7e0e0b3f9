// The page CSP: a nonce instead of 'unsafe-inline' for scripts, sockets only to our origin.

import assert from "node:assert/strict";
import { test } from "node:test";
import { contentSecurityPolicy, newNonce, socketOrigin } from "./contentSecurityPolicy.ts";

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(";").map((part) => {
    const [name, ...sources] = part.trim().split(/\s+/);
    return [name, sources] as [string, string[]];
  }));
}

test("script-src has the nonce and no 'unsafe-inline'; 'unsafe-eval' only in development", () => {
  const production = directives(contentSecurityPolicy({ nonce: "abc", publicUrl: "https://docs.example.com", dev: false }));
  assert.deepEqual(production.get("script-src"), ["'self'", "'nonce-abc'"]);
  const dev = directives(contentSecurityPolicy({ nonce: "abc", publicUrl: "http://localhost:3000", dev: true }));
  assert.deepEqual(dev.get("script-src"), ["'self'", "'nonce-abc'", "'unsafe-eval'"]);
});

test("connect-src is 'self' and the socket origin of PUBLIC_URL", () => {
  const policy = directives(contentSecurityPolicy({ nonce: "n", publicUrl: "https://docs.example.com", dev: false }));
  assert.deepEqual(policy.get("connect-src"), ["'self'", "wss://docs.example.com"]);
  assert.equal(socketOrigin("http://localhost:3000"), "ws://localhost:3000");
  assert.equal(socketOrigin("https://docs.example.com:8443/"), "wss://docs.example.com:8443");
  assert.equal(socketOrigin("https://docs.example.com:443"), "wss://docs.example.com");
});

test("the other directives stay", () => {
  const policy = directives(contentSecurityPolicy({ nonce: "n", publicUrl: "http://localhost:3000", dev: false }));
  assert.deepEqual(policy.get("default-src"), ["'self'"]);
  assert.deepEqual(policy.get("object-src"), ["'none'"]);
  assert.deepEqual(policy.get("frame-ancestors"), ["'none'"]);
  assert.deepEqual(policy.get("base-uri"), ["'self'"]);
  assert.deepEqual(policy.get("form-action"), ["'self'"]);
});

test("nonces are fresh, 128-bit, and valid nonce-source characters", () => {
  const nonces = new Set(Array.from({ length: 100 }, newNonce));
  assert.equal(nonces.size, 100);
  for (const nonce of nonces) {
    assert.match(nonce, /^[A-Za-z0-9+/]+={0,2}$/);
    assert.equal(Buffer.from(nonce, "base64").length, 16);
  }
});
