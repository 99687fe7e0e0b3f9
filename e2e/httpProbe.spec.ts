// The app's HTTP edge, probed with raw sockets against the production build: upgrade
// requests outside /collab/ are answered and closed at once (Next's production upgrade
// handler used to leave them open for ever), request bodies are bounded before Next or Better
// Auth read them (413, chunked bodies included), and the sign-in page's `next` never sends a
// signed-in visitor to another site.

import net from "node:net";
import { newDocumentId } from "../lib/documentId.ts";
import { createDocument, expect, test } from "./fixtures/test.ts";

const WEBSOCKET_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
/** Paths an upgrade may name that are not the collab endpoint. */
const NON_COLLAB_PATHS = ["/x", "/sign-in", "/healthz", "/collab", `/COLLAB/${newDocumentId()}`];
/** The per-socket bound: the server must answer and close within it. */
const CLOSE_WITHIN_MS = 2_000;
const FLOOD_SOCKETS = 2_000;
const FLOOD_BATCH = 200;
const BODY_CHUNK_BYTES = 64 * 1024;

/** Host and port of the app server (it listens on 127.0.0.1; the base URL says localhost). */
function target(baseURL: string): { host: string; port: number; hostHeader: string } {
  const url = new URL(baseURL);
  return { host: "127.0.0.1", port: Number(url.port), hostHeader: url.host };
}

interface UpgradeProbe {
  /** Status code of the answer's status line; null when none arrived. */
  status: number | null;
  /** True when the server ended or reset the connection before we gave up on it. */
  closedByServer: boolean;
  /** From sending the request to the server closing (or to giving up). */
  ms: number;
}

/** Sends a WebSocket upgrade for `path` on a raw socket and waits for the server to close it,
 *  giving up (and closing it ourselves) after `timeoutMs`. */
function probeUpgrade(baseURL: string, path: string, timeoutMs: number): Promise<UpgradeProbe> {
  const { host, port, hostHeader } = target(baseURL);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let received = "";
    let started = 0;
    let settled = false;
    const finish = (closedByServer: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      resolve({ status: match ? Number(match[1]) : null, closedByServer, ms: performance.now() - started });
      socket.destroy();
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.once("end", () => finish(true));
    socket.once("close", () => finish(true));
    // A reset from the server is the server closing too.
    socket.on("error", () => finish(true));
    socket.once("connect", () => {
      started = performance.now();
      socket.write(
        `GET ${path} HTTP/1.1\r\n` +
          `Host: ${hostHeader}\r\n` +
          "Connection: Upgrade\r\n" +
          "Upgrade: websocket\r\n" +
          "Sec-WebSocket-Version: 13\r\n" +
          `Sec-WebSocket-Key: ${WEBSOCKET_KEY}\r\n` +
          "\r\n",
      );
    });
  });
}

interface BodyProbe {
  /** Status of the answer; null when none arrived before the server closed or we gave up. */
  status: number | null;
  /** From the request headers to the answer's status line (or to the end). */
  ms: number;
  /** Body bytes we managed to send before the answer. */
  bodyBytesSent: number;
}

/**
 * POSTs to `path` on a raw socket: the request headers, then the body from `chunks` 64 KiB
 * at a time (waiting for the socket to drain), stopping as soon as the server answers or
 * closes. Gives up after `timeoutMs`.
 */
function probeBody(
  baseURL: string,
  path: string,
  headers: Record<string, string>,
  chunks: Iterable<Buffer>,
  timeoutMs: number,
): Promise<BodyProbe> {
  const { host, port, hostHeader } = target(baseURL);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let received = "";
    let status: number | null = null;
    let bodyBytesSent = 0;
    let started = 0;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, ms: performance.now() - started, bodyBytesSent });
      socket.destroy();
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      received += chunk;
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      if (match && status === null) {
        status = Number(match[1]);
        finish();
      }
    });
    socket.once("close", finish);
    socket.on("error", finish);
    const iterator = chunks[Symbol.iterator]();
    const pump = () => {
      while (!settled && !socket.destroyed) {
        const next = iterator.next();
        if (next.done) return;
        bodyBytesSent += next.value.length;
        if (!socket.write(next.value)) {
          socket.once("drain", pump);
          return;
        }
      }
    };
    socket.once("connect", () => {
      started = performance.now();
      const lines = [`POST ${path} HTTP/1.1`, `Host: ${hostHeader}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
      socket.write(`${lines.join("\r\n")}\r\n\r\n`);
      pump();
    });
  });
}

/** `total` bytes of a JSON object `{"<field>":"aaaa…"}`, 64 KiB at a time. */
function* jsonBody(field: string, total: number): Generator<Buffer> {
  const prefix = Buffer.from(`{"${field}":"`);
  const suffix = Buffer.from(`"}`);
  const filler = Buffer.alloc(BODY_CHUNK_BYTES, "a");
  let sent = 0;
  while (sent < total) {
    const size = Math.min(BODY_CHUNK_BYTES, total - sent);
    const chunk = Buffer.from(filler.subarray(0, size));
    if (sent === 0) prefix.copy(chunk, 0);
    if (sent + size === total) suffix.copy(chunk, size - suffix.length);
    sent += size;
    yield chunk;
  }
}

/** `body` in Transfer-Encoding: chunked framing, one HTTP chunk per piece, then the last chunk. */
function* chunked(body: Iterable<Buffer>): Generator<Buffer> {
  for (const piece of body) yield Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]);
  yield Buffer.from("0\r\n\r\n");
}

test("upgrades outside /collab/ are answered 4xx and closed by the server at once, 2,000 of them leave the app healthy", async ({ baseURL, api, ownerPage: page }) => {
  test.setTimeout(180_000);
  for (const path of NON_COLLAB_PATHS) {
    const probe = await probeUpgrade(baseURL, path, CLOSE_WITHIN_MS);
    console.log(`[httpProbe] upgrade ${path}: status ${probe.status ?? "none"}, ${probe.closedByServer ? "closed by the server" : "left open"} after ${probe.ms.toFixed(0)} ms`);
    expect.soft(probe.status, `${path}: an HTTP answer with a 4xx status`).not.toBeNull();
    expect.soft(probe.status ?? 0, `${path}: a 4xx status`).toBeGreaterThanOrEqual(400);
    expect.soft(probe.status ?? 0, `${path}: a 4xx status`).toBeLessThan(500);
    expect.soft(probe.closedByServer, `${path}: closed by the server within ${CLOSE_WITHIN_MS} ms`).toBe(true);
  }

  // Many of them: each one must still be answered and closed, none left open on the server.
  const started = performance.now();
  let leftOpen = 0;
  let not4xx = 0;
  let slowest = 0;
  for (let batch = 0; batch < FLOOD_SOCKETS / FLOOD_BATCH; batch++) {
    const probes = await Promise.all(
      Array.from({ length: FLOOD_BATCH }, (_, i) => probeUpgrade(baseURL, NON_COLLAB_PATHS[(batch * FLOOD_BATCH + i) % NON_COLLAB_PATHS.length], CLOSE_WITHIN_MS)),
    );
    for (const probe of probes) {
      if (!probe.closedByServer) leftOpen++;
      if (probe.status === null || probe.status < 400 || probe.status >= 500) not4xx++;
      slowest = Math.max(slowest, probe.ms);
    }
  }
  console.log(
    `[httpProbe] ${FLOOD_SOCKETS} upgrades in batches of ${FLOOD_BATCH}: ${leftOpen} left open by the server, ${not4xx} without a 4xx answer, ` +
      `slowest ${slowest.toFixed(0)} ms, ${((performance.now() - started) / 1000).toFixed(1)} s in all`,
  );
  expect(leftOpen, "upgrades the server left open").toBe(0);
  expect(not4xx, "upgrades answered without a 4xx status").toBe(0);

  const health = await api.get("/healthz");
  expect(health.status()).toBe(200);
  const id = await createDocument(api, "After the upgrade flood");
  const response = await page.goto(`/d/${id}`);
  expect(response?.status()).toBe(200);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
});

test("request bodies are bounded before they are read: 413 for 150 MB declared and 8 MB chunked, and the app stays healthy", async ({ baseURL, api, ownerState }) => {
  test.setTimeout(120_000);
  const cookie = ownerState.cookies.map(({ name, value }) => `${name}=${value}`).join("; ");

  const declared = 150 * 1024 * 1024;
  const large = await probeBody(
    baseURL,
    "/api/documents",
    { Cookie: cookie, Origin: baseURL, "Content-Type": "application/json", "Content-Length": String(declared) },
    jsonBody("title", declared),
    30_000,
  );
  console.log(`[httpProbe] POST /api/documents, Content-Length 150 MB: status ${large.status ?? "none"} after ${large.ms.toFixed(0)} ms, ${(large.bodyBytesSent / 1024 / 1024).toFixed(1)} MB sent`);
  expect.soft(large.status, "150 MB declared: 413").toBe(413);
  expect.soft(large.ms, "150 MB declared: answered within 5 s").toBeLessThan(5_000);
  expect((await api.get("/healthz")).status(), "healthy after the 150 MB body").toBe(200);

  const chunkedTotal = 8 * 1024 * 1024;
  const signIn = await probeBody(
    baseURL,
    "/api/auth/sign-in/email",
    { Origin: baseURL, "Content-Type": "application/json", "Transfer-Encoding": "chunked" },
    chunked(jsonBody("password", chunkedTotal)),
    30_000,
  );
  console.log(`[httpProbe] POST /api/auth/sign-in/email, 8 MB chunked: status ${signIn.status ?? "none"} after ${signIn.ms.toFixed(0)} ms, ${(signIn.bodyBytesSent / 1024 / 1024).toFixed(1)} MB sent`);
  expect.soft(signIn.status, "8 MB chunked sign-in: 413").toBe(413);
  expect.soft(signIn.ms, "8 MB chunked sign-in: answered within 5 s").toBeLessThan(5_000);
  expect((await api.get("/healthz")).status(), "healthy after the chunked body").toBe(200);

  // An ordinary request still goes through.
  const created = await api.post("/api/documents", { data: { title: "Small and welcome" } });
  expect(created.status()).toBe(201);
  expect(((await created.json()) as { title: string }).title).toBe("Small and welcome");
});

test("a signed-in visitor's ?next= on /sign-in never redirects off-site, and never fails", async ({ baseURL, api }) => {
  const own = new URL(baseURL).origin;
  for (const next of ["/%09/evil.example", "%2F%2Fevil.example", "/%0a/evil.example"]) {
    const response = await api.get(`/sign-in?next=${next}`, { maxRedirects: 0 });
    const location = response.headers()["location"];
    console.log(`[httpProbe] GET /sign-in?next=${next}: ${response.status()} ${location === undefined ? "(no Location)" : `Location ${JSON.stringify(location)}`}`);
    expect.soft(response.status(), `next=${next}: no server error`).toBeLessThan(500);
    if (location !== undefined) {
      expect.soft(new URL(location, baseURL).origin, `next=${next}: Location ${JSON.stringify(location)} stays on ${own}`).toBe(own);
    }
  }
});
