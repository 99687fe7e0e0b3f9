// A reverse proxy that does not pass WebSocket upgrades on (nginx's HTTP/1.0 default, or a
// stale snippet missing the Upgrade or Connection line) forwards the editor's handshake as a
// plain GET. The server must answer it with 426 naming the missing proxy setting, log the
// same once, and keep serving real upgrades.
import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import WebSocket from "ws";
import type { RunningServer } from "../startServer.ts";
import type { LogFields, Logger } from "../log.ts";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { NOT_A_WEBSOCKET_CODE, UPGRADE_NOT_FORWARDED_CODE, upgradeNotForwarded, UpgradeNotForwardedLog } from "./upgradeNotForwarded.ts";

process.env.LOG_LEVEL = "silent";

const DOCUMENT_PATH = "/collab/upgrade-forwarding-doc";
const HANDSHAKE = ["Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"];

interface FullResponse {
  status: number;
  headers: string;
  body: string;
}

/** Sends `lines` as one request and reads the whole answer (the server closes after it). */
function exchange(port: number, lines: string[]): Promise<FullResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let received = "";
    socket.on("data", (chunk) => (received += chunk.toString("utf8")));
    socket.on("error", reject);
    socket.on("close", () => {
      const [head, body = ""] = received.split("\r\n\r\n", 2);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, headers: head.toLowerCase(), body });
    });
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  });
}

function errorOf(response: FullResponse): { code: string; message: string } {
  return (JSON.parse(response.body) as { error: { code: string; message: string } }).error;
}

describe("a WebSocket handshake whose upgrade a proxy dropped", () => {
  let db: TestDatabase;
  let server: RunningServer;

  before(async () => {
    db = (await createTestDatabase("pglite"))!;
    server = await startAppTestServer(db.options);
  });

  after(async () => {
    await server?.close();
    await closeDatabase();
    await db?.drop();
  });

  test("nginx's default (HTTP/1.0, no Upgrade, Connection: close) gets 426 naming all three proxy lines", async () => {
    const response = await exchange(server.port, [`GET ${DOCUMENT_PATH} HTTP/1.0`, "Host: docs.example.com", "Connection: close", ...HANDSHAKE]);
    assert.equal(response.status, 426);
    assert.match(response.headers, /\r\nupgrade: websocket/);
    const error = errorOf(response);
    assert.equal(error.code, UPGRADE_NOT_FORWARDED_CODE);
    assert.match(error.message, /does not pass WebSocket upgrades on/);
    assert.match(error.message, /proxy_http_version 1\.1;/);
    assert.match(error.message, /proxy_set_header Upgrade \$http_upgrade;/);
    assert.match(error.message, /proxy_set_header Connection \$collab_connection_upgrade;/);
  });

  test("a stale snippet that passes Upgrade but not Connection is told only the Connection line", async () => {
    const response = await exchange(server.port, [`GET ${DOCUMENT_PATH} HTTP/1.1`, "Host: docs.example.com", "Upgrade: websocket", "Connection: close", ...HANDSHAKE]);
    assert.equal(response.status, 426);
    const error = errorOf(response);
    assert.equal(error.code, UPGRADE_NOT_FORWARDED_CODE);
    assert.match(error.message, /proxy_set_header Connection/);
    assert.doesNotMatch(error.message, /proxy_http_version|proxy_set_header Upgrade/);
  });

  test("the address opened in a browser tab (no handshake at all) is told what the endpoint is", async () => {
    const response = await exchange(server.port, [`GET ${DOCUMENT_PATH} HTTP/1.1`, "Host: docs.example.com", "Connection: close"]);
    assert.equal(response.status, 426);
    const error = errorOf(response);
    assert.equal(error.code, NOT_A_WEBSOCKET_CODE);
    assert.match(error.message, /WebSocket endpoint/);
  });

  test("a properly forwarded upgrade is still served (and refused only by the access policy)", async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}${DOCUMENT_PATH}`);
    socket.on("error", () => {}); // the refused handshake; its status is what counts
    const status = await new Promise<number>((resolve) => {
      socket.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
      socket.on("open", () => resolve(101));
    });
    socket.terminate();
    // No session and no link: the access policy's 401, not the 426 of a dropped upgrade.
    assert.equal(status, 401);
  });
});

describe("the log of dropped upgrades", () => {
  class WarnLog implements Logger {
    readonly warnings: { message: string; fields: LogFields }[] = [];
    debug(): void {}
    info(): void {}
    error(): void {}
    warn(message: string, fields: LogFields = {}): void {
      this.warnings.push({ message, fields });
    }
    child(): Logger {
      return this;
    }
  }

  const dropped = { headers: { "sec-websocket-key": "x", connection: "close" }, httpVersion: "1.0" } as never;
  const plain = { headers: {}, httpVersion: "1.1" } as never;

  test("says once which proxy settings are missing, not once per retrying editor", () => {
    const log = new WarnLog();
    const reporter = new UpgradeNotForwardedLog(log);
    for (let i = 0; i < 50; i++) reporter.report(upgradeNotForwarded(dropped));
    assert.equal(log.warnings.length, 1);
    assert.match(log.warnings[0].message, /reverse proxy does not pass upgrades on/);
    assert.deepEqual((log.warnings[0].fields.missing as string[]).length, 3);
  });

  test("a plain GET of the endpoint is not a proxy problem and is not logged as one", () => {
    const log = new WarnLog();
    new UpgradeNotForwardedLog(log).report(upgradeNotForwarded(plain));
    assert.equal(log.warnings.length, 0);
  });
});
