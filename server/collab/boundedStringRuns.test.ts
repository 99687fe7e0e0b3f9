import { test } from "node:test";
import assert from "node:assert/strict";
import * as Y from "yjs";
import { boundStringRuns, MAX_MERGED_STRING } from "./boundedStringRuns.ts";

boundStringRuns();

/** One client typing `tokens` tokens at the end of a text, relayed update by update to `server`. */
function typeAtEnd(tokens: number, server: Y.Doc): { client: Y.Doc; updateSizes: number[] } {
  const client = new Y.Doc();
  const updateSizes: number[] = [];
  client.on("update", (update: Uint8Array) => {
    updateSizes.push(update.byteLength);
    Y.applyUpdate(server, update);
  });
  const text = client.getText("t");
  for (let i = 0; i < tokens; i++) text.insert(text.length, `<${String(i).padStart(16, "0")}>`);
  return { client, updateSizes };
}

test("a long run typed at one place is kept in items no longer than the cap, with the same content", () => {
  const server = new Y.Doc();
  const relayed: Uint8Array[] = [];
  server.on("update", (update: Uint8Array) => relayed.push(update));
  const tokens = Math.ceil((3 * MAX_MERGED_STRING) / 18) + 5;
  const { client, updateSizes } = typeAtEnd(tokens, server);

  const expected = client.getText("t").toString();
  assert.equal(expected.length, tokens * 18);
  assert.equal(server.getText("t").toString(), expected);
  const items = server.store.clients.get(client.clientID)!;
  assert.ok(items.length >= 3, `merged into ${items.length} items`);
  for (const item of items) assert.ok(item.length <= MAX_MERGED_STRING, `an item of ${item.length} characters`);

  // Each relayed update carries its own token only, however long the text grew.
  assert.equal(relayed.length, tokens);
  assert.ok(Math.max(...relayed.map((u) => u.byteLength)) < 60, "a relayed update grew with the text");
  assert.ok(Math.max(...updateSizes) < 60);

  // The state, and the relayed updates merged, rebuild the same text elsewhere.
  const fromState = new Y.Doc();
  Y.applyUpdate(fromState, Y.encodeStateAsUpdate(server));
  assert.equal(fromState.getText("t").toString(), expected);
  const fromLog = new Y.Doc();
  Y.applyUpdate(fromLog, Y.mergeUpdates(relayed));
  assert.equal(fromLog.getText("t").toString(), expected);
});

test("short runs still merge into one item", () => {
  const server = new Y.Doc();
  const { client } = typeAtEnd(10, server);
  assert.equal(server.store.clients.get(client.clientID)!.length, 1);
});
