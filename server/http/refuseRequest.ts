// The answer to an HTTP request refused before its body was read (too large, rate limited):
// a JSON error, then the connection is closed. The client may still be sending; it gets a
// moment to read the answer, then the socket is destroyed rather than read to the end.
import type { IncomingMessage, ServerResponse } from "node:http";

/** How long a refused client may take to read the answer before its socket is destroyed. */
export const REFUSED_REQUEST_LINGER_MS = 1_000;

export function refuseRequest(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  error: { code: string; message: string },
  headers: Record<string, string> = {},
): void {
  const socket = request.socket;
  if (!response.headersSent) {
    const body = JSON.stringify({ error });
    response.shouldKeepAlive = false;
    response.writeHead(status, {
      ...headers,
      "content-type": "application/json",
      "cache-control": "no-store",
      connection: "close",
      "content-length": String(Buffer.byteLength(body)),
    });
    response.end(body);
  }
  const timer = setTimeout(() => socket.destroy(), REFUSED_REQUEST_LINGER_MS);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
}
