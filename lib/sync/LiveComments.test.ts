// LiveComments keeps the newest copy of each thread whatever order the server's frames arrive
// in: a join's whole list read before a thread was made does not delete it, a late older copy
// does not undo a newer one, and a deleted thread does not come back.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as decoding from "lib0/decoding";
import type { WebsocketProvider } from "y-websocket";
import { encodeCommentFrame } from "../protocolExtensions.ts";
import type { ThreadJson } from "../comments/commentModel.ts";
import { LiveComments } from "./LiveComments.ts";

function fakeProvider() {
  const listeners = new Map<string, (event: { status: string }) => void>();
  const provider = {
    protocols: [] as string[],
    messageHandlers: [] as ((encoder: unknown, decoder: decoding.Decoder) => void)[],
    on: (name: string, listener: (event: { status: string }) => void) => listeners.set(name, listener),
    off: () => undefined,
    ws: null,
    wsconnected: false,
  };
  const deliver = (body: object) => {
    const decoder = decoding.createDecoder(encodeCommentFrame({ requestId: 0, json: JSON.stringify(body) }));
    const type = decoding.readVarUint(decoder);
    provider.messageHandlers[type](null, decoder);
  };
  return { provider: provider as unknown as WebsocketProvider, deliver, status: (status: string) => listeners.get("status")?.({ status }) };
}

function thread(id: string, version: number, extra: Partial<ThreadJson> = {}): ThreadJson {
  return { id, documentId: "d", anchor: { start: "AA==", end: "AA==" }, quote: "q", resolved: null, deleted: false, version, createdAt: `2026-01-01T00:00:0${id.length}Z`, comments: [], ...extra };
}

test("a join's list without a thread an event already brought keeps it; after a reconnect it does not", () => {
  const { provider, deliver, status } = fakeProvider();
  const comments = new LiveComments(provider);
  deliver({ threads: [thread("a", 1)] });
  deliver({ threads: [thread("b", 1)], complete: true });
  assert.deepEqual(comments.list.map((t) => t.id).sort(), ["a", "b"]);
  status("disconnected");
  deliver({ threads: [thread("b", 1)], complete: true });
  assert.deepEqual(comments.list.map((t) => t.id), ["b"]);
});

test("an older copy never replaces a newer one; a deleted thread stays deleted", () => {
  const { provider, deliver } = fakeProvider();
  const comments = new LiveComments(provider);
  deliver({ threads: [thread("a", 3, { quote: "new" })] });
  deliver({ threads: [thread("a", 2, { quote: "old" })] });
  assert.equal(comments.thread("a")?.quote, "new");
  deliver({ threads: [thread("a", 4, { deleted: true })] });
  deliver({ threads: [thread("a", 3, { quote: "late" })] });
  assert.equal(comments.thread("a"), undefined);
});
