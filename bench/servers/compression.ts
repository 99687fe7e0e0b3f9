// Benchmark server for the compression measurement (bench/compression.ts): a ws server that
// sends a joiner exactly the two messages our server's join consists of for a loaded document
// (sync step 1 with the server's state vector, sync step 2 with the full state), and relays
// every other message to the other sockets of the document, as our server relays updates.
// Compression is ws's permessage-deflate, configured by COMPRESSION:
//   off    — as our server runs today;
//   on     — ws's defaults (context takeover, which makes ws deflate every message, however small);
//   large  — only messages ≥ COMPRESSION_THRESHOLD bytes (join frames), no context takeover.
import http from "node:http";
import { readFileSync } from "node:fs";
import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import { WebSocketServer, type WebSocket, type PerMessageDeflateOptions } from "ws";
import { processStats, serveRequests } from "../lib/child.ts";

const LARGE_THRESHOLD = Number(process.env.COMPRESSION_THRESHOLD ?? 16 * 1024);

const modes: Record<string, PerMessageDeflateOptions | false> = {
  off: false,
  on: {},
  large: { threshold: LARGE_THRESHOLD, serverNoContextTakeover: true, clientNoContextTakeover: true },
};
const mode = process.env.COMPRESSION ?? "off";
if (!(mode in modes)) throw new Error(`COMPRESSION must be one of ${Object.keys(modes).join(", ")}`);
const perMessageDeflate = modes[mode];

/** Join messages per document name, built once as our server does. */
const joins = new Map<string, [Uint8Array, Uint8Array]>();
const rooms = new Map<string, Set<WebSocket>>();

function joinMessages(state: Uint8Array): [Uint8Array, Uint8Array] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const step1 = encoding.createEncoder();
  encoding.writeVarUint(step1, 0);
  encoding.writeVarUint(step1, 0);
  encoding.writeVarUint8Array(step1, Y.encodeStateVector(doc));
  const step2 = encoding.createEncoder();
  encoding.writeVarUint(step2, 0);
  encoding.writeVarUint(step2, 1);
  encoding.writeVarUint8Array(step2, state);
  return [encoding.toUint8Array(step1), encoding.toUint8Array(step2)];
}

const wss = new WebSocketServer({ noServer: true, perMessageDeflate });
const server = http.createServer((_, response) => response.writeHead(404).end());
server.on("upgrade", (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => {
    const name = (request.url ?? "/").slice(1).split("?", 1)[0];
    let room = rooms.get(name);
    if (!room) rooms.set(name, (room = new Set()));
    room.add(ws);
    for (const message of joins.get(name) ?? []) ws.send(message);
    ws.on("error", () => ws.terminate());
    ws.on("message", (data) => {
      for (const peer of room!) if (peer !== ws && peer.readyState === 1) peer.send(data as Buffer);
    });
    ws.on("close", () => room!.delete(ws));
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

serveRequests({
  load(m) {
    joins.set(m.name, joinMessages(new Uint8Array(readFileSync(m.stateFile))));
    return { step2Bytes: joins.get(m.name)![1].byteLength };
  },
  stats: () => processStats(),
});
process.send?.({ type: "ready", port: (server.address() as { port: number }).port });
