// The address a request came from, for rate limits. Behind a reverse proxy (TRUST_PROXY=true)
// it is the first X-Forwarded-For entry; otherwise the socket's, because a client can put
// anything in X-Forwarded-For.
import type { IncomingMessage } from "node:http";

/** Request header through which the custom server hands the client address to route handlers. */
export const CLIENT_ADDRESS_HEADER = "x-collab-client-address";

export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers["x-forwarded-for"];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
    if (first) return first;
  }
  return request.socket.remoteAddress ?? "unknown";
}

/** Overwrites whatever the client sent in CLIENT_ADDRESS_HEADER with the real address. */
export function stampClientAddress(request: IncomingMessage, trustProxy: boolean): void {
  request.headers[CLIENT_ADDRESS_HEADER] = clientAddress(request, trustProxy);
}
