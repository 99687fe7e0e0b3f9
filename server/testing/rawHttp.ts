// Raw TCP HTTP clients for the abuse suites: requests no well-behaved library would send
// (thousands of headers, headers dribbled one byte at a time).

import net from "node:net";

export interface RawResponse {
  /** HTTP status of the response, null when the server closed without answering. */
  status: number | null;
  /** How the exchange ended. */
  ended: "closed" | "timeout" | "error";
  ms: number;
}

/** Sends `request` as-is and resolves with the first status line and how the socket ended. */
export function rawRequest(port: number, request: string, { localAddress, timeoutMs = 10_000 }: { localAddress?: string; timeoutMs?: number } = {}): Promise<RawResponse> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect({ host: "127.0.0.1", port, localAddress });
    let received = "";
    let done = false;
    const finish = (ended: RawResponse["ended"]) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      resolve({ status: match ? Number(match[1]) : null, ended, ms: performance.now() - started });
    };
    const timer = setTimeout(() => finish("timeout"), timeoutMs);
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      // A response head is enough: an upgrade answered 101 stays open by design.
      if (received.includes("\r\n\r\n")) finish("closed");
    });
    socket.on("close", () => finish("closed"));
    socket.on("error", () => finish("error"));
    socket.write(request);
  });
}

/** An upgrade request to `path` with `extraHeaders` tiny headers placed BEFORE the required
 *  WebSocket headers (the shape of the CVE-2024-37890 proof of concept: with more headers
 *  than server.maxHeadersCount, Node drops the later ones and ws < 8.17.1 crashed). */
export function manyHeadersUpgrade(path: string, extraHeaders: number): string {
  const chars = "!#$%&'*+-.0123456789abcdefghijklmnopqrstuvwxyz^_`|~";
  const lines: string[] = [`GET ${path} HTTP/1.1`, "Host: 127.0.0.1"];
  outer: for (const a of chars) {
    for (const b of chars) {
      if (lines.length - 2 >= extraHeaders) break outer;
      lines.push(`${a}${b}: x`);
    }
  }
  lines.push("Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13");
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/** A slowloris client: sends the start of an upgrade request, then one header byte every
 *  `intervalMs`, never finishing. Resolves when the server closes the socket (or `maxMs`). */
export function slowUpgrade(port: number, path: string, { intervalMs = 500, maxMs = 60_000, localAddress }: { intervalMs?: number; maxMs?: number; localAddress?: string } = {}): { closed: Promise<{ closedAfterMs: number | null; status: number | null }>; destroy(): void } {
  const started = performance.now();
  const socket = net.connect({ host: "127.0.0.1", port, localAddress });
  let received = "";
  socket.on("error", () => {});
  socket.on("data", (chunk) => (received += chunk.toString("latin1")));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`);
  const drip = setInterval(() => {
    if (!socket.destroyed) socket.write("X-Slow: y\r\n".slice(0, 1 + Math.floor(Math.random() * 3)));
  }, intervalMs);
  const closed = new Promise<{ closedAfterMs: number | null; status: number | null }>((resolve) => {
    const timer = setTimeout(() => {
      clearInterval(drip);
      socket.destroy();
      resolve({ closedAfterMs: null, status: null });
    }, maxMs);
    socket.on("close", () => {
      clearInterval(drip);
      clearTimeout(timer);
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      resolve({ closedAfterMs: performance.now() - started, status: match ? Number(match[1]) : null });
    });
  });
  return {
    closed,
    destroy() {
      clearInterval(drip);
      socket.destroy();
    },
  };
}

export interface Exchange {
  status: number | null;
  /** The server closed (or ended) the socket before the client did. */
  closedByServer: boolean;
  ms: number;
  bodySent: number;
  /** What the server sent (head and body), as Latin-1 text. */
  received: string;
}

/**
 * Sends `head` on a raw socket, then `body` chunks (as fast as the socket takes them) until
 * the server answers; resolves with the status, whether the server closed the socket, and how
 * much of the body went out. Gives up after `timeoutMs`.
 */
export function exchange(
  port: number,
  head: string,
  { body, timeoutMs = 10_000 }: { body?: { chunk: Buffer; total: number; chunked?: boolean }; timeoutMs?: number } = {},
): Promise<Exchange> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect({ host: "127.0.0.1", port });
    let received = "";
    let bodySent = 0;
    let answered = false;
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      resolve({ status: match ? Number(match[1]) : null, closedByServer, ms: performance.now() - started, bodySent, received });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      if (received.includes("\r\n\r\n")) answered = true;
    });
    socket.on("end", () => finish(true));
    socket.on("close", () => finish(true));
    socket.on("error", () => finish(true));
    socket.write(head);
    if (!body) return;
    const pump = () => {
      while (!answered && !done && bodySent < body.total) {
        const size = Math.min(body.chunk.length, body.total - bodySent);
        const data = body.chunked
          ? Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), body.chunk.subarray(0, size), Buffer.from("\r\n")])
          : body.chunk.subarray(0, size);
        bodySent += size;
        if (!socket.write(data)) {
          socket.once("drain", pump);
          return;
        }
      }
      if (body.chunked && bodySent >= body.total && !done) socket.write("0\r\n\r\n");
    };
    pump();
  });
}

/** The head of a POST to `path` (JSON unless `headers` says otherwise). */
export function postHead(path: string, headers: Record<string, string>): string {
  const lines = Object.entries({ host: "127.0.0.1", "content-type": "application/json", ...headers }).map(([k, v]) => `${k}: ${v}`);
  return `POST ${path} HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n`;
}
