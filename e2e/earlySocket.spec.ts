// Opening a document: the page's HTML opens the collab socket before its scripts have loaded
// (lib/sync/earlySocket.ts), and the editor adopts that socket instead of opening a second one.
// The adopted socket must behave as any other: content, edits saved with the server's ack, a
// reconnect after the server drops it.
import { test, expect, createDocument } from "./fixtures/test.ts";

test("a signed-in account's editor syncs over the socket the page opened early, and saves over it", async ({ ownerPage: page, api }) => {
  const id = await createDocument(api, "Early socket");
  const put = await api.put(`/api/documents/${id}/content`, { headers: { "content-type": "text/markdown" }, data: "Already here before the scripts." });
  expect(put.status()).toBe(200);
  const sockets: string[] = [];
  page.on("websocket", (socket) => {
    if (socket.url().includes("/collab/")) sockets.push(socket.url());
  });

  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("editor")).toHaveAttribute("data-editable", "true");
  await expect(page.locator(".ProseMirror")).toContainText("Already here before the scripts.");
  await page.locator(".ProseMirror").click();
  await page.keyboard.press("End");
  await page.keyboard.type(" Typed after.");
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  expect(sockets).toHaveLength(1);

  // The server's copy has the edit: another page (its own early socket) shows it.
  const other = await page.context().newPage();
  await other.goto(`/d/${id}`);
  await expect(other.locator(".ProseMirror")).toContainText("Already here before the scripts. Typed after.");
  await other.close();
});

test("an early socket closed before the editor starts is not adopted: the editor opens its own and saves", async ({ ownerPage: page, api }) => {
  const id = await createDocument(api, "Early socket closed");
  const sockets: string[] = [];
  page.on("websocket", (socket) => {
    if (socket.url().includes("/collab/")) sockets.push(socket.url());
  });
  // The early socket is closed (as a server or a network would) before the scripts run.
  await page.addInitScript(() => {
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        const registry = (window as unknown as { __collabEarlySockets?: object }).__collabEarlySockets;
        if (registry === undefined) this.addEventListener("open", () => this.close(4000));
      }
    };
  });

  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("editor")).toHaveAttribute("data-editable", "true");
  await page.locator(".ProseMirror").click();
  await page.keyboard.type("Over the editor's own socket.");
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  expect(sockets).toHaveLength(2);
});

test("opening a document builds its content's DOM once, and its node views work", async ({ ownerPage: page, api }) => {
  const id = await createDocument(api, "Built once");
  const put = await api.put(`/api/documents/${id}/content`, { headers: { "content-type": "text/markdown" }, data: "Built once.\n\n- [ ] A task to tick" });
  expect(put.status()).toBe(200);
  // Counts the distinct paragraph elements holding "Built once." that the page ever had (added,
  // or removed before the observer heard of their adding): each build of the editor's DOM makes
  // a new one (it used to be built twice: lib/editor/keepNodeViews.ts).
  await page.addInitScript(() => {
    const counter = window as unknown as { __paragraphsBuilt: number };
    counter.__paragraphsBuilt = 0;
    const seen = new WeakSet<Element>();
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of [...record.addedNodes, ...record.removedNodes]) {
          if (!(node instanceof HTMLElement)) continue;
          for (const p of node.matches("p") ? [node] : node.querySelectorAll("p")) {
            if (seen.has(p) || !p.textContent?.startsWith("Built once.")) continue;
            seen.add(p);
            counter.__paragraphsBuilt += 1;
          }
        }
      }
    }).observe(document, { childList: true, subtree: true });
  });

  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("editor")).toHaveAttribute("data-editable", "true");
  const checkbox = page.locator('.ProseMirror ul[data-type="taskList"] > li input[type="checkbox"]');
  await checkbox.check();
  await expect(checkbox).toBeChecked();
  await page.locator(".ProseMirror p").first().click();
  await page.keyboard.press("End");
  await page.keyboard.type(" Then typed.");
  await expect(page.locator(".ProseMirror p").first()).toHaveText("Built once. Then typed.");
  expect(await page.evaluate(() => (window as unknown as { __paragraphsBuilt: number }).__paragraphsBuilt)).toBe(1);
});
