// The answer to an upgrade we will not serve: a complete HTTP response, then the socket is
// destroyed at once. An upgrade left unanswered stays open (in CLOSE-WAIT once the client
// leaves) and holds a file descriptor: 20,000 of them from one address exhausted the process.
import { metrics } from "../metrics/metrics.ts";
import type { Duplex } from "node:stream";
import { STATUS_CODES } from "node:http";

export function refuseUpgrade(socket: Duplex, status: number): void {
  metrics.refusals.inc({ kind: "upgrade", status: String(status), reason: "" });
  if (socket.destroyed) return;
  // Destroyed once the answer is handed to the kernel, without waiting for the client's FIN.
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
}
