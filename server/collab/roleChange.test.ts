// A role that changes under an open socket (issue 13, bug 2), with the real collab server and
// real y-websocket clients like the browser's (lib/sync/LiveRole.ts, DurableSaveTracker): the
// socket stays open and the client is told (ROLE), the server refuses a lowered client's updates
// whatever it sends, edits that were on their way are reported as refused, and a read-only
// client sends nothing on join (no "dropped a document update" in the server's log).
// The real access policy (accounts, memberships) is in server/access/access.test.ts.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import WebSocket from "ws";
import * as Y from "yjs";
import { newDocumentId } from "../../lib/documentId.ts";
import type { Role } from "../../lib/access/roles.ts";
import type { RoleChange } from "../../lib/sync/LiveRole.ts";
import type { CollabAccessPolicy } from "./access.ts";
import { encodeSyncUpdate } from "./protocol.ts";
import { createTestDatabase } from "../testing/testDatabase.ts";
import { startCollabTestServer, type CollabTestServer } from "../testing/startCollabTestServer.ts";
import { connectAppClient, connectClient, synced, waitFor } from "../testing/yClients.ts";
import { sleep } from "../testing/sleep.ts";

const DROPPED = "dropped a document update from a read-only connection";

/** Roles by the `as` query parameter, changed by the test; `changed` is what a grant change publishes. */
function rolePolicy(): { access: CollabAccessPolicy; roles: Map<string, Role>; changed(documentId: string): void } {
  const roles = new Map<string, Role>();
  const listeners = new Set<(documentId: string | null) => void>();
  const access: CollabAccessPolicy = {
    async authorize(request) {
      const who = new URL(request.url ?? "/", "http://x").searchParams.get("as") ?? "";
      const role = roles.get(who);
      if (!role) return { ok: false, status: 403, reason: "no role" };
      return { ok: true, grant: { role, identity: null, expiresAt: null, recheck: async () => roles.get(who) ?? null } };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { access, roles, changed: (documentId) => listeners.forEach((listener) => listener(documentId)) };
}

describe("a role that changes under an open socket", () => {
  let server: CollabTestServer;
  let drop: () => Promise<void>;
  const policy = rolePolicy();
  const cleanup: (() => void)[] = [];

  before(async () => {
    const db = await createTestDatabase(process.env.DATABASE_URL ? "postgres" : "pglite");
    assert.ok(db);
    drop = db.drop;
    server = await startCollabTestServer(db.options, { access: policy.access });
  });
  after(async () => {
    for (const clean of cleanup.splice(0)) clean();
    await server.close();
    await drop();
  });

  const dropped = () => server.log.warnings.filter((w) => w.message === DROPPED);
  function appClient(id: string, who: string, role: Role, doc = new Y.Doc()) {
    const client = connectAppClient(server.wsUrl, id, { doc, params: { as: who }, role });
    const changes: RoleChange[] = [];
    client.liveRole.subscribe((change) => changes.push(change));
    cleanup.push(() => client.provider.destroy());
    return { ...client, doc, changes };
  }
  /** A document with text and a deletion (so its delete set is not empty), written by an editor. */
  async function documentWithHistory(id: string): Promise<Y.Doc> {
    policy.roles.set(`author-${id}`, "editor");
    const author = appClient(id, `author-${id}`, "editor");
    await synced(author.provider);
    author.doc.getText("t").insert(0, "Hello, world. Bye.");
    author.doc.getText("t").delete(13, 5);
    await waitFor(() => author.tracker.saved, "the author's edits saved");
    return author.doc;
  }

  test("lowered: the socket stays open, the client is told, the editor's later updates are refused; raised: accepted again", async () => {
    const id = newDocumentId();
    policy.roles.set("lou", "editor");
    policy.roles.set("watcher", "viewer");
    const lou = appClient(id, "lou", "editor");
    const watcher = appClient(id, "watcher", "viewer");
    await Promise.all([synced(lou.provider), synced(watcher.provider)]);
    lou.doc.getText("t").insert(0, "as editor. ");
    await waitFor(() => watcher.doc.getText("t").toString() === "as editor. ", "the editor's text reaches the watcher");
    await waitFor(() => lou.tracker.saved, "saved");

    policy.roles.set("lou", "viewer");
    policy.changed(id);
    await waitFor(() => lou.changes.length === 1, "Lou told of the change");
    assert.deepEqual(lou.changes[0], { from: "editor", to: "viewer", refusedEdits: false, refusedText: "" });
    assert.equal(lou.liveRole.role, "viewer");
    assert.ok(lou.provider.wsconnected, "the socket stays open");

    // Whatever the client does: a frame written straight to its socket, past the client's own
    // read-only filter (ws's unwrapped send), is dropped and logged.
    const before = dropped().length;
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(lou.doc));
    forged.getText("t").insert(0, "forged ");
    const unfilteredSend = WebSocket.prototype.send as (this: unknown, data: Uint8Array) => void;
    unfilteredSend.call(lou.provider.ws, encodeSyncUpdate(Y.encodeStateAsUpdate(forged, Y.encodeStateVector(lou.doc))));
    await waitFor(() => dropped().length > before, "the forged update dropped and logged");
    assert.equal(watcher.doc.getText("t").toString(), "as editor. ");
    assert.ok(lou.provider.wsconnected, "one refused frame does not close it");

    policy.roles.set("lou", "editor");
    policy.changed(id);
    await waitFor(() => lou.changes.length === 2, "Lou told of the raise");
    assert.deepEqual(lou.changes[1], { from: "viewer", to: "editor", refusedEdits: false, refusedText: "" });
    // A new paragraph of the same client continues where the server's copy is: integrates.
    lou.doc.getText("t").insert(lou.doc.getText("t").length, "again.");
    await waitFor(() => watcher.doc.getText("t").toString() === "as editor. again.", "the raised editor's text reaches the watcher");
    await waitFor(() => lou.tracker.saved, "saved again");
  });

  test("edits on their way when the role is lowered are refused and reported with their text, never saved", async () => {
    const id = newDocumentId();
    policy.roles.set("lea", "editor");
    policy.roles.set("reader", "viewer");
    const lea = appClient(id, "lea", "editor");
    const reader = appClient(id, "reader", "viewer");
    await Promise.all([synced(lea.provider), synced(reader.provider)]);
    lea.doc.getText("t").insert(0, "Saved words. ");
    await waitFor(() => lea.tracker.saved, "saved");

    // The re-check resolves within this task's microtasks: the server lowers the role before
    // it reads the frame Lea sends just after, which is then refused.
    policy.roles.set("lea", "viewer");
    policy.changed(id);
    lea.doc.getText("t").insert(lea.doc.getText("t").length, "Late words");
    await waitFor(() => lea.changes.length === 1, "Lea told of the change");
    assert.deepEqual(lea.changes[0], { from: "editor", to: "viewer", refusedEdits: true, refusedText: "Late words" });
    await waitFor(() => dropped().some((w) => w.fields.role === "viewer"), "the late update dropped");
    await sleep(200);
    assert.equal(reader.doc.getText("t").toString(), "Saved words. ", "the late words reached nobody");
    assert.equal(lea.tracker.saved, false, "never reported saved");
  });

  test("a read-only client that joins with the document already in its local copy sends no update: nothing dropped, nothing logged", async () => {
    const id = newDocumentId();
    const content = await documentWithHistory(id);
    policy.roles.set(`vera-${id}`, "viewer");
    const before = dropped().length;
    // What a reloaded page has: the local copy (IndexedDB), loaded before it connects (then it
    // is in the reply to the server's sync step 1) ...
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(content));
    const early = appClient(id, `vera-${id}`, "viewer", copy);
    // ... or while it connects (then it is an update of its own).
    const late = appClient(id, `vera-${id}`, "viewer");
    late.provider.on("status", ({ status }: { status: string }) => {
      if (status === "connected") Y.applyUpdate(late.doc, Y.encodeStateAsUpdate(content), "local-copy");
    });
    await Promise.all([synced(early.provider), synced(late.provider)]);
    await sleep(300);
    for (const vera of [early, late]) {
      assert.equal(vera.doc.getText("t").toString(), "Hello, world.");
      assert.equal(vera.liveRole.role, "viewer");
      assert.deepEqual(vera.changes, []);
    }
    assert.deepEqual(dropped().slice(before), [], "the server dropped nothing from the read-only clients");
  });

  test("(control) a stock client with the same local copy does send it, and the server drops and logs it", async () => {
    const id = newDocumentId();
    const content = await documentWithHistory(id);
    policy.roles.set(`stock-${id}`, "viewer");
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(content));
    const before = dropped().length;
    const stock = connectClient(server.wsUrl, id, copy, { as: `stock-${id}` });
    cleanup.push(() => stock.destroy());
    await synced(stock);
    await waitFor(() => dropped().length > before, "the stock viewer's sync reply dropped and logged");
  });
});
