// GET /metrics (Prometheus text format), guarded: with METRICS_TOKEN set, only requests with
// `Authorization: Bearer <token>`; without it, only clients on this machine that did not come
// through a proxy (a proxy on the same host would otherwise expose it to the internet). Anyone
// else gets 404, as if there were no such page.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { metrics } from "./metrics.ts";

export const METRICS_PATH = "/metrics";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const PROXY_HEADERS = ["x-forwarded-for", "x-real-ip", "forwarded"];

export function mayReadMetrics(request: IncomingMessage, token: string | undefined): boolean {
  if (token !== undefined) {
    const given = Buffer.from(request.headers.authorization ?? "");
    const expected = Buffer.from(`Bearer ${token}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  if (!LOOPBACK.has(request.socket.remoteAddress ?? "")) return false;
  return !PROXY_HEADERS.some((header) => request.headers[header] !== undefined);
}

export function serveMetrics(request: IncomingMessage, response: ServerResponse, token: string | undefined): void {
  if (request.method !== "GET" || !mayReadMetrics(request, token)) {
    response.writeHead(404, { "content-type": "text/plain" }).end("not found");
    return;
  }
  void metrics.registry.metrics().then(
    (text) => response.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" }).end(text),
    (error: Error) => response.writeHead(500, { "content-type": "text/plain" }).end(`metrics failed: ${error.message}`),
  );
}
