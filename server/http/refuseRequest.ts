// The answer to an HTTP request refused before its body was read (too large, rate limited):
// a JSON error written straight to the socket, which is then half-closed and no longer read.
// Through ServerResponse, Node would either read the rest of the body to keep the connection
// alive, or destroy the socket as soon as the answer is flushed; with unread body bytes in the
// kernel that destroy is a TCP reset, and the client often loses the answer. Here the client
// gets a moment to read it, then the socket is destroyed.
import { log } from "../log.ts";
import { requestIdOf } from "./requestId.ts";
import { metrics } from "../metrics/metrics.ts";
import type { IncomingMessage } from "node:http";
import { STATUS_CODES } from "node:http";

/** How long a refused client may take to read the answer before its socket is destroyed. */
export const REFUSED_REQUEST_LINGER_MS = 1_000;

export function refuseRequest(
  request: IncomingMessage,
  status: number,
  error: { code: string; message: string },
  headers: Record<string, string> = {},
): void {
  metrics.refusals.inc({ kind: "http", status: String(status), reason: error.code });
  const requestId = requestIdOf(request);
  log.info("request refused", { request: requestId, status, reason: error.code, path: request.url?.split("?", 1)[0] });
  const socket = request.socket;
  // Whatever of the body still arrives is dropped, and Node stops reading the socket.
  request.push = () => false;
  if (socket.destroyed) return;
  const body = JSON.stringify({ error });
  const head = Object.entries({
    ...headers,
    ...(requestId ? { "x-request-id": requestId } : {}),
    "content-type": "application/json",
    "cache-control": "no-store",
    connection: "close",
    "content-length": String(Buffer.byteLength(body)),
  }).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\n${head.join("")}\r\n${body}`);
  const timer = setTimeout(() => socket.destroy(), REFUSED_REQUEST_LINGER_MS);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
}
