// The address a request came from, for rate limits, the same for HTTP requests and WebSocket
// upgrades. Behind `trustProxy` reverse proxies it is the X-Forwarded-For entry appended by
// the outermost trusted proxy (counted from the right: each proxy appends the address it saw,
// and everything left of those entries is whatever the client chose to send); otherwise the
// socket's own address.
import type { IncomingMessage } from "node:http";

/** Request header through which the custom server hands the client address to route handlers. */
export const CLIENT_ADDRESS_HEADER = "x-collab-client-address";

export function clientAddress(request: IncomingMessage, trustProxy: number): string {
  const socketAddress = request.socket.remoteAddress ?? "unknown";
  if (trustProxy <= 0) return socketAddress;
  const header = request.headers["x-forwarded-for"];
  const entries = (Array.isArray(header) ? header.join(",") : header ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (entries.length === 0) return socketAddress;
  // With fewer entries than trusted proxies the request skipped some of them: the leftmost
  // entry is still one a trusted proxy wrote (the first proxy always appends one).
  return entries[Math.max(0, entries.length - trustProxy)];
}

/** Overwrites whatever the client sent in CLIENT_ADDRESS_HEADER with the real address. */
export function stampClientAddress(request: IncomingMessage, trustProxy: number): void {
  request.headers[CLIENT_ADDRESS_HEADER] = clientAddress(request, trustProxy);
}
