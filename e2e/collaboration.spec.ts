// The foundation, as a user sees it: create and rename a document, two browsers editing it
// together with named carets and presence, and content that survives a reload and a restart.

import type { Browser, Page } from "@playwright/test";
import { createDocument, createShareLink, editorText, expect, newContext, test } from "./fixtures/test.ts";

type State = Parameters<typeof newContext>[2];

/** Opens `path` in a new context: signed in with `state`, or as a link guest named `guestName`. */
async function openAs(browser: Browser, baseURL: string, path: string, who: { state: State } | { guestName: string }): Promise<Page> {
  const context = await newContext(browser, baseURL, "state" in who ? who.state : null);
  const page = await context.newPage();
  await page.goto(path);
  if ("guestName" in who) {
    await page.getByTestId("guest-name").fill(who.guestName);
    await page.getByTestId("guest-continue").click();
  }
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await expect(page.locator(".ProseMirror")).toHaveAttribute("contenteditable", "true");
  return page;
}

/** The document's text without the remote carets and their name labels that each page renders. */
function documentText(page: Page): Promise<string> {
  return page.locator(".ProseMirror").evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collaboration-carets__caret").forEach((caret) => caret.remove());
    return [...copy.children].map((block) => `${block.tagName}:${block.textContent}`).join("\n");
  });
}

test("create a document from the list, rename it, and find it in the list", async ({ ownerPage: page }) => {
  await page.goto("/");
  await page.getByTestId("new-document").click();
  await expect(page).toHaveURL(/\/d\/[A-Za-z0-9_-]+$/);
  const title = page.getByTestId("document-title");
  // The title is part of the document: saved like its text (the status bar says when).
  await title.fill("Quarterly plan");
  await title.press("Enter");
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  // The list shows the server's copy of the title, taken from the document moments later.
  await expect
    .poll(async () => {
      await page.goto("/");
      return page.getByTestId("document-link").filter({ hasText: "Quarterly plan" }).count();
    }, { timeout: 15_000 })
    .toBe(1);
});

test("two browsers edit one document together, see each other's text, carets and presence", async ({ browser, baseURL, api, app, ownerState }) => {
  const id = await createDocument(api, "Together");
  const editLink = await createShareLink(api, id, "editor");

  // Ada owns the document; Bob opens an edit link as a guest.
  const ada = await openAs(browser, baseURL, `/d/${id}`, { state: ownerState });
  const bob = await openAs(browser, baseURL, new URL(editLink).pathname + new URL(editLink).search, { guestName: "Bob" });

  // Presence: each sees both names.
  for (const page of [ada, bob]) {
    await expect(page.getByTestId("presence-user")).toHaveCount(2);
    await expect(page.getByTestId("presence")).toContainText("Ada");
    await expect(page.getByTestId("presence")).toContainText("Bob (guest)");
  }

  // Ada types a heading and a line; Bob sees it.
  await ada.locator(".ProseMirror").click();
  await ada.getByTestId("toolbar-h1").click();
  await ada.keyboard.type("Meeting notes");
  await ada.keyboard.press("Enter");
  await ada.keyboard.type("Ada was here.");
  await expect(bob.locator(".ProseMirror h1")).toHaveText("Meeting notes");
  // Ada's caret label sits inside Bob's text (and may briefly sit before her last letter while
  // her cursor's awareness and her last keystroke cross): compare the text without it.
  await expect.poll(() => editorText(bob)).toContain("Ada was here.");

  // Bob sees Ada's named caret while Ada's editor has focus.
  await expect(bob.locator(".collaboration-carets__label", { hasText: "Ada" })).toBeVisible();

  // Bob types at the end at the same time as Ada; both converge.
  await bob.locator(".ProseMirror p").last().click();
  await bob.keyboard.press("End");
  // insertText is one transaction, so it is one undo step below. Typing within 500 ms of
  // earlier typing joins its undo step (Yjs UndoManager's captureTimeout), so pause first.
  await ada.waitForTimeout(700);
  await Promise.all([bob.keyboard.type(" Bob too."), ada.keyboard.insertText(" Still Ada.")]);
  await expect.poll(() => editorText(ada)).toContain("Bob too.");
  await expect.poll(() => editorText(bob)).toContain("Still Ada.");
  await expect.poll(async () => (await documentText(ada)) === (await documentText(bob))).toBe(true);
  await expect(ada.locator(".collaboration-carets__label", { hasText: "Bob" })).toBeVisible();

  // Undo undoes only Ada's own last change, not Bob's.
  await ada.locator(".ProseMirror").focus();
  await ada.keyboard.press("ControlOrMeta+z");
  await expect.poll(() => editorText(ada)).not.toContain("Still");
  expect(await editorText(ada)).toContain("Ada was here.");
  expect(await editorText(ada)).toContain("Bob too.");
  await expect.poll(() => editorText(bob)).not.toContain("Still");

  // When Bob leaves, Ada's presence list drops him.
  await bob.context().close();
  await expect(ada.getByTestId("presence-user")).toHaveCount(1);

  // Reload keeps the content (after the server confirmed it saved: leaving earlier asks first).
  await expect(ada.getByTestId("save-status")).toHaveText("Saved");
  await ada.reload();
  await expect(ada.locator(".ProseMirror h1")).toHaveText("Meeting notes");
  await expect(ada.locator(".ProseMirror")).toContainText("Bob too.");

  // A server restart keeps it too; the page shows the connection state while it is down.
  await app.restart();
  await ada.reload();
  await expect(ada.getByTestId("connection-status")).toHaveText("Connected");
  await expect(ada.locator(".ProseMirror h1")).toHaveText("Meeting notes");
  await expect(ada.locator(".ProseMirror")).toContainText("Ada was here.");
  await expect(ada.locator(".ProseMirror")).toContainText("Bob too.");
  await ada.context().close();
});

test("the connection badge shows when the server is unreachable", async ({ browser, baseURL, api, ownerState }) => {
  const id = await createDocument(api, "Badge");
  const page = await openAs(browser, baseURL, `/d/${id}`, { state: ownerState });
  await page.context().setOffline(true);
  await expect(page.getByTestId("connection-status")).not.toHaveText("Connected");
  await page.context().setOffline(false);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await page.context().close();
});
