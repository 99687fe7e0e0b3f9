// Benchmark server (3): the y-websocket reference server, @y/websocket-server's
// setupWSConnection, started the way its own bin/server.js does (in memory, no persistence).
// 0.1.1 is used because 0.1.5 depends on a Yjs 14 pre-release: every server here runs Yjs
// 13.6.x. The ws library is the project's ws 8 (the package's own bin pulls ws 6) so that all
// servers share one WebSocket implementation; perMessageDeflate is off.

import http from "node:http";
import { WebSocketServer } from "ws";
import { docs, setupWSConnection } from "@y/websocket-server/utils";
import { processStats, serveRequests, sleep } from "../lib/child.ts";

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const server = http.createServer((_, response) => response.writeHead(200).end("okay"));
server.on("upgrade", (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => setupWSConnection(ws, request));
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = (server.address() as { port: number }).port;

serveRequests({
  stats: (m) => ({ ...processStats(m.collect), docs: docs.size, connections: wss.clients.size }),
  written: () => ({}),
  async settle(m) {
    const deadline = Date.now() + (m.timeoutMs ?? 30_000);
    // Without persistence the reference server never unloads a document (its closeConn deletes
    // docs only in the persistence branch), so settling means: every connection is gone.
    while (wss.clients.size > 0) {
      if (Date.now() > deadline) throw new Error(`settle: ${wss.clients.size} connections still open`);
      await sleep(20);
    }
    return null;
  },
});
process.send?.({ type: "ready", port, url: `ws://127.0.0.1:${port}`, client: "y-websocket" });
