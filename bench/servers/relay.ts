// Benchmark server (4): a bare ws broadcast relay, no Yjs — every binary frame is sent as is
// to the other sockets on the same path. The ceiling of what Node + ws can do on this machine.

import http from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { processStats, serveRequests, sleep } from "../lib/child.ts";

const rooms = new Map<string, Set<WebSocket>>();
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const server = http.createServer((_, response) => response.writeHead(200).end("okay"));
server.on("upgrade", (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => {
    const name = (request.url ?? "/").split("?", 1)[0];
    let room = rooms.get(name);
    if (!room) rooms.set(name, (room = new Set()));
    room.add(ws);
    ws.on("error", () => ws.terminate());
    ws.on("message", (data, isBinary) => {
      for (const peer of room!) if (peer !== ws && peer.readyState === 1) peer.send(data, { binary: isBinary });
    });
    ws.on("close", () => {
      room!.delete(ws);
      if (room!.size === 0) rooms.delete(name);
    });
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = (server.address() as { port: number }).port;

serveRequests({
  stats: (m) => ({ ...processStats(m.collect), docs: rooms.size, connections: wss.clients.size }),
  written: () => ({}),
  async settle(m) {
    const deadline = Date.now() + (m.timeoutMs ?? 30_000);
    while (rooms.size > 0 && Date.now() < deadline) await sleep(20);
    return null;
  },
});
process.send?.({ type: "ready", port, url: `ws://127.0.0.1:${port}`, client: "raw" });
