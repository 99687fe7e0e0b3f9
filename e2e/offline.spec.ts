// "Nothing typed is ever lost", in the browser: edits made offline are kept on this device
// (IndexedDB), survive closing the tab and reopening the document while the server is
// unreachable, and reach the server and other people when the network returns. Along the
// way the save-state badge must show each state truthfully.

import type { BrowserContext, Page, WebSocketRoute } from "@playwright/test";
import { createDocument, editorText, expect, test } from "./fixtures/test.ts";

const SAVED = "Saved";
const SAVING = "Saving…";
const OFFLINE = "Offline — changes kept on this device";
const OFFLINE_NOTHING_TYPED = "Offline";
const RECONNECTING = /^Reconnecting in \d+ s$/;

/** Records every text the save badge shows, in order, into window.__saveStatusHistory. */
function recordSaveStatusHistory(): void {
  const history: string[] = [];
  (window as unknown as { __saveStatusHistory: string[] }).__saveStatusHistory = history;
  const record = () => {
    const text = document.querySelector('[data-testid="save-status"]')?.textContent ?? null;
    if (text !== null && history[history.length - 1] !== text) history.push(text);
  };
  new MutationObserver(record).observe(document, { subtree: true, childList: true, characterData: true });
}

async function saveStatusHistory(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __saveStatusHistory: string[] }).__saveStatusHistory);
}

/**
 * Lets a test cut this context off from the collab server while pages still load over
 * HTTP: a "blocked" WebSocket is closed at once (as a failing connection would be), an
 * unblocked one is passed through to the real server.
 */
async function controlCollabSockets(context: BrowserContext) {
  let blocked = false;
  const live = new Set<WebSocketRoute>();
  await context.routeWebSocket(/\/collab\//, (ws) => {
    if (blocked) {
      void ws.close({ code: 1013, reason: "blocked by test" });
      return;
    }
    live.add(ws);
    ws.onClose(() => live.delete(ws));
    ws.connectToServer();
  });
  return {
    /** Refuses new sockets and drops the open ones. */
    async block() {
      blocked = true;
      await Promise.all([...live].map((ws) => ws.close({ code: 1013, reason: "blocked by test" })));
      live.clear();
    },
    unblock() {
      blocked = false;
    },
  };
}

const editorOf = (page: Page) => page.locator(".ProseMirror");

test("offline edits are kept on the device, survive closing the tab, and sync when back online", async ({ browser, baseURL, api, ownerState }) => {
  const id = await createDocument(api, "Offline notes");
  const context = await browser.newContext({ baseURL, storageState: ownerState });
  await context.addInitScript(recordSaveStatusHistory);

  // Online: type, and the badge goes Saving… → Saved once the server acknowledged it.
  const page = await context.newPage();
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await expect(editorOf(page)).toHaveAttribute("contenteditable", "true");
  await editorOf(page).click();
  await page.keyboard.type("Typed online.");
  await expect(page.getByTestId("save-status")).toHaveText(SAVED);
  expect(await saveStatusHistory(page)).toContain(SAVING);

  // Offline: both badges say so (nothing typed since "Saved": plain "Offline", no promise
  // about changes there are none of), and typing goes on.
  await context.setOffline(true);
  await expect(page.getByTestId("save-status")).toHaveText(OFFLINE_NOTHING_TYPED);
  await expect(page.getByTestId("connection-status")).toHaveText("Offline");
  await expect(editorOf(page)).toHaveAttribute("contenteditable", "true");
  await page.keyboard.type(" Typed offline");
  await expect(editorOf(page)).toContainText("Typed online. Typed offline");
  await expect(page.getByTestId("save-status")).toHaveText(OFFLINE);

  // The last keystroke, then the tab is closed at once: it must still be kept. Closing
  // with unsaved changes asks first.
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.type());
    void dialog.accept();
  });
  await page.keyboard.type(".");
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => page.isClosed()).toBe(true);
  expect(dialogs).toEqual(["beforeunload"]);

  // The network is back for HTTP, but the collab server stays unreachable for this browser:
  // whatever the reopened page shows can only come from its local copy.
  const sockets = await controlCollabSockets(context);
  await sockets.block();
  await context.setOffline(false);
  const reopened = await context.newPage();
  await reopened.goto(`/d/${id}`);
  await expect(editorOf(reopened)).toContainText("Typed online. Typed offline.");
  await expect(editorOf(reopened)).toHaveAttribute("contenteditable", "true");
  await expect(reopened.getByTestId("save-status")).toHaveText(OFFLINE);
  await expect(reopened.getByTestId("connection-status")).toHaveText("Offline");

  // A reload (still unreachable) shows it again, and offline typing continues.
  reopened.on("dialog", (dialog) => void dialog.accept());
  await reopened.reload();
  await expect(editorOf(reopened)).toContainText("Typed online. Typed offline.");
  await expect(editorOf(reopened)).toHaveAttribute("contenteditable", "true");
  await expect(reopened.getByTestId("save-status")).toHaveText(OFFLINE);
  await editorOf(reopened).click();
  await reopened.keyboard.press("ControlOrMeta+End");
  await reopened.keyboard.type(" Typed after reload.");

  // Someone else, online all along, has only what reached the server.
  const other = await browser.newContext({ baseURL, storageState: ownerState });
  const otherPage = await other.newPage();
  await otherPage.goto(`/d/${id}`);
  await expect(otherPage.getByTestId("connection-status")).toHaveText("Connected");
  await expect(editorOf(otherPage)).toContainText("Typed online.");
  await expect(editorOf(otherPage)).not.toContainText("Typed offline.");

  // The network returns ("online" event): the page reconnects at once, without waiting out
  // its backoff, and everything typed offline reaches the server and the other person.
  sockets.unblock();
  await context.setOffline(true);
  await expect(reopened.getByTestId("save-status")).toHaveText(OFFLINE);
  await context.setOffline(false);
  await expect(reopened.getByTestId("connection-status")).toHaveText("Connected");
  await expect(reopened.getByTestId("save-status")).toHaveText(SAVED);
  await expect.poll(() => editorText(otherPage), { timeout: 10_000 }).toContain("Typed online. Typed offline. Typed after reload.");
  await expect(editorOf(reopened)).toContainText("Typed online. Typed offline. Typed after reload.");
  const history = await saveStatusHistory(reopened);
  expect(history).toContain(OFFLINE);
  expect(history[history.length - 1]).toBe(SAVED);

  await other.close();
  await context.close();
});

test("an unreachable server shows a reconnect countdown, and the page recovers by itself", async ({ browser, baseURL, api, ownerState }) => {
  const id = await createDocument(api, "Flaky network");
  const context = await browser.newContext({ baseURL, storageState: ownerState });
  await context.addInitScript(recordSaveStatusHistory);
  const sockets = await controlCollabSockets(context);
  const page = await context.newPage();
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await editorOf(page).click();
  await page.keyboard.type("Before the outage.");
  await expect(page.getByTestId("save-status")).toHaveText(SAVED);

  // The server drops the socket and refuses new ones; nothing is unsaved, so the badge
  // counts down to the next attempt (backoff with jitter, at most 10 s).
  await sockets.block();
  await expect(page.getByTestId("save-status")).toHaveText(RECONNECTING);
  await expect(page.getByTestId("connection-status")).toHaveText("Offline");

  // Typing now: the change is kept on the device.
  await page.keyboard.type(" During the outage.");
  await expect(page.getByTestId("save-status")).toHaveText(OFFLINE);

  // The server is back: the next scheduled attempt (no "online" event here) gets through.
  sockets.unblock();
  await expect(page.getByTestId("save-status")).toHaveText(SAVED, { timeout: 20_000 });
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");

  const other = await browser.newContext({ baseURL, storageState: ownerState });
  const otherPage = await other.newPage();
  await otherPage.goto(`/d/${id}`);
  // (Same account in both: the first page's caret, labelled with its name, sits in the text.)
  await expect.poll(() => editorText(otherPage)).toContain("Before the outage. During the outage.");
  const history = await saveStatusHistory(page);
  expect(history.some((text) => RECONNECTING.test(text))).toBe(true);
  await other.close();
  await context.close();
});
