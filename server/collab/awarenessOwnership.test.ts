// Presence ownership on the real server (startServer, real access policy, Better Auth
// sessions, share links): an awareness client id belongs to the connection that showed it
// first, in any form. A reconnecting y-websocket client reuses its client id, which the
// server then sees as `updated` rather than `added`; an id another instance announced
// arrives through Redis. Neither may be left unowned, or anyone on the document could
// overwrite that person's presence with their own identity, or remove it.
//
// Every check is on what a third client (a watcher with the stock y-websocket provider)
// sees in its Awareness.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import WebSocket from "ws";
import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import { WebsocketProvider } from "y-websocket";
import type { RunningServer } from "../startServer.ts";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase.ts";
import { connectClient, synced, waitFor } from "../testing/yClients.ts";
import { createLink, createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import { encodeAwareness } from "./protocol.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";

process.env.LOG_LEVEL = "silent";

const kind = process.env.DATABASE_URL ? "postgres" : "pglite";
const redisUrl = process.env.REDIS_URL;
/** How long a forged update gets to show its effect before the watcher's view is judged. */
const SETTLE_MS = 400;

/** A stock y-websocket provider whose socket carries `cookie` (a signed-in browser tab). */
function connectSignedIn(wsBase: string, documentId: string, cookie: string): WebsocketProvider {
  class CookieSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie } });
    }
  }
  const provider = new WebsocketProvider(wsBase, documentId, new Y.Doc(), {
    WebSocketPolyfill: CookieSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  const destroy = provider.destroy.bind(provider);
  provider.destroy = () => {
    destroy();
    provider.awareness.destroy();
  };
  return provider;
}

function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** An awareness frame speaking for `clientId` at `clock` (a null state removes it). */
function forgedAwareness(clientId: number, clock: number, state: Record<string, unknown> | null): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientId);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encodeAwareness(encoding.toUint8Array(encoder));
}

interface UserField {
  name?: string;
  id?: string;
}

/** Everything `watcher` sees happen to `clientId`'s presence from now on. */
function recordPresence(watcher: WebsocketProvider, clientId: number) {
  const seen = { states: [] as Record<string, unknown>[], removals: 0 };
  const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    if (removed.includes(clientId)) seen.removals++;
    if (added.includes(clientId) || updated.includes(clientId)) {
      seen.states.push(watcher.awareness.getStates().get(clientId) as Record<string, unknown>);
    }
  };
  watcher.awareness.on("change", onChange);
  return { seen, stop: () => watcher.awareness.off("change", onChange) };
}

function userOf(watcher: WebsocketProvider, clientId: number): UserField | undefined {
  return watcher.awareness.getStates().get(clientId)?.user as UserField | undefined;
}

/** The victim's presence as the watcher sees it now: there, under the victim's own account. */
function assertShownAsVictim(watcher: WebsocketProvider, clientId: number, victim: TestAccount, what: string): void {
  const state = watcher.awareness.getStates().get(clientId);
  assert.ok(state, `${what}: the victim's presence is still shown`);
  assert.equal((state.user as UserField | undefined)?.id, victim.id, `${what}: still the victim's account`);
  assert.equal((state.user as UserField | undefined)?.name, victim.name, `${what}: still the victim's name`);
  assert.equal(state.forged, undefined, `${what}: no field the attacker wrote`);
}

/**
 * The victim's tab loses its connection and reconnects (same provider, same client id), then
 * moves its cursor: the server now sees the id as `updated`. Resolves once the watcher shows
 * the victim again, with the new cursor.
 */
async function dropAndReconnect(victim: WebsocketProvider, watcher: WebsocketProvider): Promise<void> {
  const clientId = victim.awareness.clientID;
  victim.ws?.close();
  await waitFor(() => !watcher.awareness.getStates().has(clientId), "the dropped connection's presence removed");
  await waitFor(() => victim.wsconnected && victim.synced, "the victim reconnected");
  victim.awareness.setLocalStateField("cursor", { anchor: 2, head: 2 });
  await waitFor(
    () => (watcher.awareness.getStates().get(clientId)?.cursor as { anchor?: number } | undefined)?.anchor === 2,
    "the reconnected victim shown again",
  );
}

describe(`awareness client ids are owned on first appearance (${kind})`, () => {
  let db: TestDatabase;
  let server: RunningServer;
  let victimAccount: TestAccount;
  let wsBase: string;

  before(async () => {
    db = (await createTestDatabase(kind))!;
    server = await startAppTestServer(db.options);
    wsBase = `ws://127.0.0.1:${server.port}/collab`;
    victimAccount = await signUp(server.access, "Victor Victim");
  });

  after(async () => {
    await server?.close();
    await closeDatabase();
    await db?.drop();
  });

  /** A document of the victim's, the victim signed in on it with a presence, a watcher and an
   *  attacker (both guests with a view link), all synced. */
  async function scene() {
    const prisma = server.database.prisma;
    const id = await createOwnedDocument(prisma, victimAccount.id);
    const link = await createLink(prisma, id, "viewer");
    const victim = connectSignedIn(wsBase, id, victimAccount.cookie);
    const watcher = connectClient(wsBase, id, undefined, { token: link.token, name: "Wendy" });
    const attacker = await openSocket(`${wsBase}/${id}?token=${link.token}&name=Mallory`);
    const cleanup = () => {
      victim.destroy();
      watcher.destroy();
      attacker.close();
    };
    try {
      await Promise.all([synced(victim), synced(watcher)]);
      victim.awareness.setLocalState({ user: { name: "Victor Victim" }, cursor: { anchor: 1, head: 1 } });
      await waitFor(() => userOf(watcher, victim.awareness.clientID)?.id === victimAccount.id, "the victim's presence");
    } catch (error) {
      cleanup();
      throw error;
    }
    return { victim, watcher, attacker, cleanup };
  }

  test("a client reconnecting with its client id is shown again, and its presence goes when its connection goes", async () => {
    const { victim, watcher, cleanup } = await scene();
    try {
      const clientId = victim.awareness.clientID;
      await dropAndReconnect(victim, watcher);
      assertShownAsVictim(watcher, clientId, victimAccount, "after reconnecting");
      // Its later updates still arrive.
      victim.awareness.setLocalStateField("cursor", { anchor: 3, head: 3 });
      await waitFor(() => (watcher.awareness.getStates().get(clientId)?.cursor as { anchor?: number }).anchor === 3, "a later cursor move");
      // Gone for good (tab closed without a goodbye): the reconnected connection's presence
      // must go with it, not linger for everyone.
      victim.shouldConnect = false;
      (victim.ws as unknown as WebSocket | null)?.terminate();
      await waitFor(() => !watcher.awareness.getStates().has(clientId), "the presence removed with its connection", 3_000);
    } finally {
      cleanup();
    }
  });

  test("after a reconnect, someone else on the document cannot overwrite the victim's presence", async () => {
    const { victim, watcher, attacker, cleanup } = await scene();
    try {
      const clientId = victim.awareness.clientID;
      await dropAndReconnect(victim, watcher);
      const record = recordPresence(watcher, clientId);
      // A higher clock than the victim's, so Yjs would take it; the server must not.
      const clock = watcher.awareness.meta.get(clientId)!.clock + 5;
      attacker.send(forgedAwareness(clientId, clock, { user: { name: "Victor Victim" }, cursor: { anchor: 0, head: 0 }, forged: true }));
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      record.stop();
      const names = record.seen.states.map((state) => (state?.user as UserField | undefined)?.name);
      assert.deepEqual(names, [], `the watcher saw no new state for the victim's id (saw ${JSON.stringify(record.seen.states)})`);
      assertShownAsVictim(watcher, clientId, victimAccount, "after the forged update");
    } finally {
      cleanup();
    }
  });

  test("after a reconnect, someone else on the document cannot remove the victim's presence", async () => {
    const { victim, watcher, attacker, cleanup } = await scene();
    try {
      const clientId = victim.awareness.clientID;
      await dropAndReconnect(victim, watcher);
      const record = recordPresence(watcher, clientId);
      const clock = watcher.awareness.meta.get(clientId)!.clock + 1;
      attacker.send(forgedAwareness(clientId, clock, null));
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      record.stop();
      // (The victim's own client re-announces itself when it sees its id removed, so on a
      // server that takes the removal the presence flickers out and back: count removals.)
      assert.equal(record.seen.removals, 0, "the watcher never saw the victim's presence removed");
      assertShownAsVictim(watcher, clientId, victimAccount, "after the forged removal");
    } finally {
      cleanup();
    }
  });
});

describe("awareness client ids from another instance stay that instance's", { skip: redisUrl ? false : "REDIS_URL is not set" }, () => {
  let db: TestDatabase;
  let a: RunningServer;
  let b: RunningServer;
  let victimAccount: TestAccount;

  before(async () => {
    assert.equal(kind, "postgres", "two instances share PostgreSQL: set DATABASE_URL");
    db = (await createTestDatabase("postgres"))!;
    a = await startAppTestServer(db.options, { REDIS_URL: redisUrl! });
    b = await startAppTestServer(db.options, { REDIS_URL: redisUrl! });
    victimAccount = await signUp(a.access, "Victor Victim");
  });

  after(async () => {
    await a?.close();
    await b?.close();
    await closeDatabase();
    await db?.drop();
  });

  /** The victim (signed in) and a watcher on instance A; an attacker (view-link guest) and a
   *  second watcher on instance B, which knows the victim only through Redis. */
  async function scene() {
    const prisma = a.database.prisma;
    const id = await createOwnedDocument(prisma, victimAccount.id);
    const link = await createLink(prisma, id, "viewer");
    const wsA = `ws://127.0.0.1:${a.port}/collab`;
    const wsB = `ws://127.0.0.1:${b.port}/collab`;
    const victim = connectSignedIn(wsA, id, victimAccount.cookie);
    const watcherA = connectClient(wsA, id, undefined, { token: link.token, name: "Wendy" });
    const watcherB = connectClient(wsB, id, undefined, { token: link.token, name: "Walter" });
    const providers = [victim, watcherA, watcherB];
    let attacker: WebSocket | null = null;
    const cleanup = () => {
      for (const provider of providers) provider.destroy();
      attacker?.close();
    };
    try {
      await Promise.all(providers.map((provider) => synced(provider)));
      attacker = await openSocket(`${wsB}/${id}?token=${link.token}&name=Mallory`);
      victim.awareness.setLocalState({ user: { name: "Victor Victim" }, cursor: { anchor: 1, head: 1 } });
      for (const watcher of [watcherA, watcherB]) {
        await waitFor(() => userOf(watcher, victim.awareness.clientID)?.id === victimAccount.id, "the victim's presence on both instances");
      }
    } catch (error) {
      cleanup();
      throw error;
    }
    return { victim, watchers: [watcherA, watcherB], attacker: attacker!, cleanup };
  }

  test("an attacker on another instance cannot overwrite the victim's presence", async () => {
    const { victim, watchers, attacker, cleanup } = await scene();
    try {
      const clientId = victim.awareness.clientID;
      const records = watchers.map((watcher) => recordPresence(watcher, clientId));
      const clock = watchers[0].awareness.meta.get(clientId)!.clock + 5;
      attacker.send(forgedAwareness(clientId, clock, { user: { name: "Victor Victim" }, cursor: { anchor: 0, head: 0 }, forged: true }));
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      for (const [i, record] of records.entries()) {
        record.stop();
        const where = i === 0 ? "instance A (the victim's)" : "instance B (the attacker's)";
        assert.deepEqual(record.seen.states, [], `${where}: no new state for the victim's id`);
        assertShownAsVictim(watchers[i], clientId, victimAccount, where);
      }
    } finally {
      cleanup();
    }
  });

  test("an attacker on another instance cannot remove the victim's presence", async () => {
    const { victim, watchers, attacker, cleanup } = await scene();
    try {
      const clientId = victim.awareness.clientID;
      const records = watchers.map((watcher) => recordPresence(watcher, clientId));
      const clock = watchers[0].awareness.meta.get(clientId)!.clock + 1;
      attacker.send(forgedAwareness(clientId, clock, null));
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      for (const [i, record] of records.entries()) {
        record.stop();
        const where = i === 0 ? "instance A (the victim's)" : "instance B (the attacker's)";
        assert.equal(record.seen.removals, 0, `${where}: the victim's presence never removed`);
        assertShownAsVictim(watchers[i], clientId, victimAccount, where);
      }
    } finally {
      cleanup();
    }
  });

  test("the victim's own updates and departure still reach the other instance", async () => {
    const { victim, watchers, cleanup } = await scene();
    try {
      const clientId = victim.awareness.clientID;
      victim.awareness.setLocalStateField("cursor", { anchor: 4, head: 4 });
      await waitFor(() => (watchers[1].awareness.getStates().get(clientId)?.cursor as { anchor?: number }).anchor === 4, "a cursor move across instances");
      victim.shouldConnect = false;
      (victim.ws as unknown as WebSocket | null)?.terminate();
      await waitFor(() => !watchers[1].awareness.getStates().has(clientId), "the departure across instances", 3_000);
    } finally {
      cleanup();
    }
  });
});
