// The deployment recipe, tested: Debian's nginx running deploy/nginx.conf (TLS with a
// self-signed certificate, wss://, the upgrade headers, consistent hashing on the document id)
// in front of two app instances on one PostgreSQL database and one Redis. Two browsers edit
// one document through https:// and wss:// while connected to different instances; the
// instance of one of them gets SIGTERM while it types; it reconnects through nginx to the
// other instance, and every character both typed is in both browsers, after a reload, in a
// fresh browser, and in the database.
//
// Needs nginx, openssl, DATABASE_URL and REDIS_URL (several instances share PostgreSQL and
// Redis; the embedded database is single-instance). Without them the spec is skipped with the
// reason on a newcomer's machine, and fails under CI, which must run it.

import { expect, request as requestFactory, test, type Browser, type Page } from "@playwright/test";
import * as Y from "yjs";
import { freePort, startAppServer, type AppServer } from "./fixtures/appServer.ts";
import { missingProxyTools, startNginxProxy, type NginxProxy } from "./fixtures/nginxProxy.ts";
import { createDocument, newContext, signUpState } from "./fixtures/test.ts";
import { createTestDatabase, type TestDatabase } from "../server/testing/testDatabase.ts";
import { pgSqlClient } from "../server/db/SqlClient.ts";
import { SqlDocumentStorage } from "../server/collab/storage/SqlDocumentStorage.ts";
import { plainTextOf } from "../lib/editor/plainText.ts";
import { EDITOR_FRAGMENT_NAME } from "../lib/editor/extensions.ts";

const ci = Boolean(process.env.CI) && process.env.CI !== "false" && process.env.CI !== "0";
/** Loopback addresses of the test-only listeners pinned to instance 0 and instance 1. */
const PINNED_ADDRESSES = ["127.0.0.2", "127.0.0.3"];

function missingRequirements(): string[] {
  const missing = missingProxyTools();
  if (!process.env.DATABASE_URL) missing.push("DATABASE_URL is not set (instances share one PostgreSQL database)");
  if (!process.env.REDIS_URL) missing.push("REDIS_URL is not set (instances relay through Redis)");
  return missing;
}

/** Open collab WebSockets of one instance, from its own /metrics (loopback, no proxy). */
async function openConnections(instance: AppServer): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${instance.port}/metrics`)).text();
  const match = /^collab_open_connections (\d+)$/m.exec(text);
  if (!match) throw new Error(`no collab_open_connections in /metrics of port ${instance.port}`);
  return Number(match[1]);
}

/** The text of each block of the editor, without the remote carets drawn inside it. */
function paragraphs(page: Page): Promise<string[]> {
  return page.locator(".ProseMirror").evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collaboration-carets__caret").forEach((caret) => caret.remove());
    return [...copy.children].map((block) => block.textContent ?? "");
  });
}

async function openEditor(browser: Browser, baseURL: string, state: Parameters<typeof newContext>[2], documentId: string): Promise<Page> {
  const context = await newContext(browser, baseURL, state);
  const page = await context.newPage();
  await page.goto(`/d/${documentId}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await expect(page.locator(".ProseMirror")).toHaveAttribute("contenteditable", "true");
  return page;
}

/** Places the caret at the end of the editor's `index`-th block. */
async function caretAtEndOf(page: Page, index: number): Promise<void> {
  await page.locator(".ProseMirror > *").nth(index).click();
  await page.keyboard.press("End");
}

/** The document's text as PostgreSQL holds it (the update log and snapshot, merged). */
async function storedText(databaseUrl: string, documentId: string): Promise<string> {
  const sql = pgSqlClient(databaseUrl);
  try {
    const state = await new SqlDocumentStorage(sql).load(documentId);
    const doc = new Y.Doc();
    if (state) Y.applyUpdate(doc, state);
    return plainTextOf(doc.getXmlFragment(EDITOR_FRAGMENT_NAME));
  } finally {
    await sql.close();
  }
}

test("two instances behind the nginx recipe: editors on different instances over wss://, one instance stopped mid-edit, nothing lost", async ({ browser, playwright, launchOptions }) => {
  const missing = missingRequirements();
  if (missing.length > 0) {
    if (ci) throw new Error(`CI must run the deployment spec, but: ${missing.join("; ")}`);
    test.skip(true, missing.join("; "));
  }
  test.setTimeout(300_000);

  const database = (await createTestDatabase("postgres")) as TestDatabase;
  const instances: AppServer[] = [];
  let proxy: NginxProxy | null = null;
  const browsers: Browser[] = [];
  try {
    const httpsPort = await freePort();
    const publicUrl = `https://localhost:${httpsPort}`;
    // What deploy/nginx.conf tells every instance: the public address and one trusted proxy.
    const env = { PUBLIC_URL: publicUrl, TRUST_PROXY: "true", REDIS_URL: process.env.REDIS_URL!, LOG_LEVEL: "info" };
    // Both at once, as systemd or compose start them (Prisma's engine migrates under an advisory lock).
    instances.push(...(await Promise.all([startAppServer({ database, env }), startAppServer({ database, env })])));
    const httpPort = await freePort();
    proxy = await startNginxProxy({
      upstreamPorts: [instances[0].port, instances[1].port],
      httpsPort,
      httpPort,
      pinnedAddresses: PINNED_ADDRESSES,
    });
    expect(proxy.publicUrl).toBe(publicUrl);
    // Plain http is sent to https.
    const plain = await fetch(`http://localhost:${httpPort}/d/anything`, { redirect: "manual" });
    expect([plain.status, plain.headers.get("location")]).toEqual([301, "https://localhost/d/anything"]);

    // Through the proxy: the health check answers, and the account and document are made.
    const { state } = await signUpState(publicUrl, "Ada");
    const api = await requestFactory.newContext({ baseURL: publicUrl, storageState: state, extraHTTPHeaders: { origin: publicUrl }, ignoreHTTPSErrors: true });
    expect(await (await api.get("/readyz")).text()).toBe("ready");
    const documentId = await createDocument(api, "Behind nginx");
    await api.dispose();

    // Browser A through the recipe: the document's hash picks an instance.
    const pageA = await openEditor(browser, publicUrl, state, documentId);
    await expect.poll(async () => (await Promise.all(instances.map(openConnections))).sort()).toEqual([0, 1]);
    const counts = await Promise.all(instances.map(openConnections));
    const aIndex = counts.indexOf(1);
    const bIndex = 1 - aIndex;
    // Consistent hashing on the document id: more tabs of it land on the same instance.
    const extraTabs = [await pageA.context().newPage(), await pageA.context().newPage()];
    for (const tab of extraTabs) {
      await tab.goto(`/d/${documentId}`);
      await expect(tab.getByTestId("connection-status")).toHaveText("Connected");
    }
    await expect.poll(() => Promise.all(instances.map(openConnections))).toEqual(aIndex === 0 ? [3, 0] : [0, 3]);
    for (const tab of extraTabs) await tab.close();
    // nginx's own account (a WebSocket is logged when it closes): the recipe took the document
    // id as the key of its page and socket requests and sent every one to A's instance.
    const [aAddress, bAddress] = [instances[aIndex], instances[bIndex]].map((instance) => `127.0.0.1:${instance.port}`);
    const running = proxy;
    const throughRecipe = async () => (await running.accessLog()).filter((line) => !PINNED_ADDRESSES.includes(line.server));
    await expect.poll(async () => (await throughRecipe()).filter((line) => line.uri === `/collab/${documentId}`).length).toBe(2);
    const keyed = (await throughRecipe()).filter((line) => line.key === documentId);
    expect(keyed.filter((line) => line.uri === `/d/${documentId}`).length).toBeGreaterThanOrEqual(3);
    expect(new Set(keyed.map((line) => line.upstreams.join(", ")))).toEqual(new Set([aAddress]));
    // Requests about no document (creating one, here) have no key: nginx spreads them round-robin.
    const unkeyed = (await throughRecipe()).filter((line) => line.uri === "/api/documents");
    expect(unkeyed.length).toBeGreaterThanOrEqual(1);
    expect(unkeyed.every((line) => line.key === "")).toBe(true);

    // Browser B resolves localhost to the listener pinned to the other instance: same origin,
    // same account, other process.
    const browserB = await playwright.chromium.launch({
      ...launchOptions,
      args: [...(launchOptions.args ?? []), `--host-resolver-rules=MAP localhost ${PINNED_ADDRESSES[bIndex]}`],
    });
    browsers.push(browserB);
    const pageB = await openEditor(browserB, publicUrl, state, documentId);
    await expect.poll(() => Promise.all(instances.map(openConnections))).toEqual([1, 1]);

    // Two lines, one per browser, so concurrent typing never interleaves within a line.
    await caretAtEndOf(pageA, 0);
    await pageA.keyboard.type("Ada:");
    await pageA.keyboard.press("Enter");
    await pageA.keyboard.type("Bob:");
    await expect.poll(() => paragraphs(pageB)).toEqual(["Ada:", "Bob:"]);
    await caretAtEndOf(pageA, 0);
    await caretAtEndOf(pageB, 1);

    // Both instances up: edits cross between them (Redis).
    await Promise.all([pageA.keyboard.type(" one two three", { delay: 20 }), pageB.keyboard.type(" uno dos tres", { delay: 20 })]);
    for (const page of [pageA, pageB]) {
      await expect.poll(() => paragraphs(page)).toEqual(["Ada: one two three", "Bob: uno dos tres"]);
    }

    // A's instance gets SIGTERM right after A typed (not yet acknowledged, perhaps not yet
    // sent), and A keeps typing while it drains and A reconnects; B types all along.
    const bTyping = pageB.keyboard.type(" cuatro cinco seis siete ocho nueve diez once doce", { delay: 40 });
    await pageA.keyboard.type(" four five");
    const stopped = instances[aIndex].stop();
    await pageA.keyboard.type(" six seven eight nine ten eleven twelve", { delay: 40 });
    await bTyping;
    expect(await stopped, `the instance stops gracefully:\n${instances[aIndex].output()}`).toBe(0);

    const expected = ["Ada: one two three four five six seven eight nine ten eleven twelve", "Bob: uno dos tres cuatro cinco seis siete ocho nueve diez once doce"];
    // A is back through nginx, on the surviving instance.
    await expect(pageA.getByTestId("connection-status")).toHaveText("Connected", { timeout: 30_000 });
    await expect.poll(() => openConnections(instances[bIndex])).toBe(2);
    for (const page of [pageA, pageB]) {
      await expect.poll(() => paragraphs(page), { timeout: 30_000 }).toEqual(expected);
      await expect(page.getByTestId("save-status")).toHaveText("Saved", { timeout: 30_000 });
    }

    // Nothing lost: in PostgreSQL, after a reload, and in a browser that never had it.
    expect(await storedText(database.options.databaseUrl!, documentId)).toBe(expected.join("\n"));
    await pageA.reload();
    await expect(pageA.getByTestId("connection-status")).toHaveText("Connected");
    await expect.poll(() => paragraphs(pageA)).toEqual(expected);
    const fresh = await openEditor(browser, publicUrl, state, documentId);
    await expect.poll(() => paragraphs(fresh)).toEqual(expected);
    await fresh.context().close();
    await pageA.context().close();
    await pageB.context().close();

    // nginx's account of the failover: a request tried A's stopped instance and moved on to
    // the other (proxy_next_upstream), and A's socket came back through the recipe to B's.
    await expect
      .poll(async () => (await throughRecipe()).some((line) => line.upstreams.join(", ") === `${aAddress}, ${bAddress}`))
      .toBe(true);
    await expect
      .poll(async () => (await throughRecipe()).some((line) => line.uri === `/collab/${documentId}` && line.status === 101 && line.upstreams.at(-1) === bAddress))
      .toBe(true);
  } catch (error) {
    // What the instances and nginx said, next to the failure.
    for (const [index, instance] of instances.entries()) console.error(`--- instance ${index} (port ${instance.port}):\n${instance.output().slice(-6000)}`);
    if (proxy) console.error(`--- nginx error log:\n${(await proxy.errorLog()).slice(-6000)}`);
    throw error;
  } finally {
    for (const extra of browsers) await extra.close();
    await proxy?.stop();
    for (const instance of instances) await instance.stop();
    await database.drop();
  }
});
