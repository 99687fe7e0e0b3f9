// Keyboard-only use (issue 13). The Share dialog is modal for real: focus moves in and stays
// in, Escape closes it and focus returns to the Share button; after "Create link" the focus is
// on the new link's Copy button, not lost to the page. The editor's toolbar is one Tab stop
// with arrow keys inside (WAI-ARIA toolbar; Alt+F10 from the text). The home page's document
// list, its filter and sort, the Trash and opening a document work with the keyboard alone.
import type { Locator, Page } from "@playwright/test";
import { test, expect, createDocument } from "./fixtures/test";

test("the Share dialog traps focus, closes on Escape and gives focus back; Create link keeps it", async ({ ownerPage: page, api }) => {
  const id = await createDocument(api, "Keyboard sharing");
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  const shareButton = page.getByTestId("share-button");
  await shareButton.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByTestId("share-dialog");
  await expect(dialog).toBeVisible();
  const focusInDialog = () => page.evaluate(() => document.activeElement?.closest('[data-testid="share-dialog"]') !== null);
  expect(await focusInDialog()).toBe(true);
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press("Tab");
    expect(await focusInDialog(), `after ${i + 1} Tabs`).toBe(true);
  }

  await page.getByTestId("share-create").focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("share-url")).toBeVisible();
  await expect(page.getByTestId("share-copy")).toBeFocused();

  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(shareButton).toBeFocused();
});

test("the first Tab reaches a skip link that jumps past the header; a new document has the caret in its text", async ({ ownerPage: page }) => {
  await page.goto("/");
  await expect(page.getByTestId("account-name")).toBeVisible();
  await page.keyboard.press("Tab");
  const skip = page.getByTestId("skip-link");
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.locator("#content")).toBeFocused();

  await page.getByTestId("new-document").click();
  await expect(page).toHaveURL(/\/d\/[A-Za-z0-9_-]+$/);
  await expect(page.locator(".ProseMirror")).toBeFocused();
  await page.keyboard.type("Typed at once.");
  await expect(page.locator(".ProseMirror")).toContainText("Typed at once.");
});

test("keyboard focus is visible on the title, the text and the buttons", async ({ ownerPage: page, api }) => {
  const created = await api.post("/api/documents", { data: { title: "Focus rings" } });
  const { id } = (await created.json()) as { id: string };
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  const outlineOf = (testIdOrSelector: string) =>
    page.locator(testIdOrSelector).evaluate((element) => {
      const style = getComputedStyle(element);
      return { width: parseFloat(style.outlineWidth), style: style.outlineStyle };
    });
  await page.getByTestId("document-title").focus();
  await page.keyboard.press("End");
  expect(await outlineOf('[data-testid="document-title"]')).toEqual({ width: 3, style: "solid" });
  await page.getByTestId("share-button").focus();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  expect(await outlineOf('[data-testid="share-button"]')).toEqual({ width: 3, style: "solid" });
  await page.locator(".ProseMirror").focus();
  expect((await outlineOf(".ProseMirror")).width).toBeGreaterThanOrEqual(2);
});

/** Presses Tab (or Shift+Tab) until `target` has the focus; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, { backwards = false, max = 40 } = {}): Promise<void> {
  for (let presses = 0; presses < max; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
  }
  await expect(target, `reached with ${max} ${backwards ? "Shift+Tabs" : "Tabs"}`).toBeFocused({ timeout: 1 });
}

/** The data-testid of the focused element. */
const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? document.activeElement?.tagName);

/** Presses `key` until the focused element has data-testid `testId`; fails after `max` presses. */
async function arrowTo(page: Page, key: string, testId: string, max = 30): Promise<void> {
  for (let presses = 0; presses < max && (await focusedTestId(page)) !== testId; presses++) await page.keyboard.press(key);
  expect(await focusedTestId(page)).toBe(testId);
}

test("the toolbar is one Tab stop with arrow keys inside; Alt+F10 reaches it and Escape returns to the caret", async ({ ownerPage: page, api }) => {
  const id = await createDocument(api, "Toolbar by keyboard");
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  const text = page.locator(".ProseMirror");
  const toolbar = page.getByRole("toolbar", { name: "Formatting" });
  await text.click();
  await page.keyboard.type("Hello world");
  for (let i = 0; i < " world".length; i++) await page.keyboard.press("ArrowLeft");

  // One Tab stop: exactly one enabled control of the toolbar is in the Tab order.
  const tabStops = () =>
    toolbar.evaluate((element) =>
      [...element.querySelectorAll<HTMLButtonElement>("button, select")].filter((control) => !control.disabled && control.tabIndex >= 0 && !control.closest("dialog")).map((control) => control.dataset.testid),
    );
  expect(await tabStops()).toEqual(["toolbar-bold"]);

  await page.keyboard.press("Alt+F10");
  await expect(page.getByTestId("toolbar-bold")).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("toolbar-italic")).toBeFocused();
  expect(await tabStops()).toEqual(["toolbar-italic"]);
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByTestId("toolbar-bold")).toBeFocused();
  // Wraps around to the last enabled control; Home and End go to the ends.
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByTestId("toolbar-image")).toBeFocused();
  await page.keyboard.press("Home");
  await expect(page.getByTestId("toolbar-bold")).toBeFocused();
  await page.keyboard.press("End");
  await expect(page.getByTestId("toolbar-image")).toBeFocused();
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowRight");

  // Escape: back to the text, with the caret where it was.
  await page.keyboard.press("Escape");
  await expect(text).toBeFocused();
  await page.keyboard.type(",");
  await expect(text).toHaveText("Hello, world");

  // The toolbar remembers its control; Tab leaves it for the text at once, Shift+Tab comes back.
  await page.keyboard.press("Alt+F10");
  await expect(page.getByTestId("toolbar-italic")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(text).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(page.getByTestId("toolbar-italic")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(text).toBeFocused();

  // Buttons work from the keyboard: select "world", Alt+F10, Enter on Bold. The selection is
  // made at once after Escape: Escape's focus is synchronous, so nothing puts an older
  // selection back over it (Tiptap's focus command did, an animation frame later).
  await page.keyboard.press("End");
  for (let i = 0; i < "world".length; i++) await page.keyboard.press("Shift+ArrowLeft");
  await expect.poll(() => page.evaluate(() => window.getSelection()?.toString())).toBe("world");
  await page.keyboard.press("Alt+F10");
  await arrowTo(page, "ArrowLeft", "toolbar-bold");
  await page.keyboard.press("Enter");
  await expect(text.locator("strong")).toHaveText("world");

  // The Link button opens its dialog; Escape closes it and the text has the focus again.
  await page.keyboard.press("Alt+F10");
  await arrowTo(page, "ArrowRight", "toolbar-link");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("link-dialog")).toBeVisible();
  await expect(page.getByTestId("link-href")).toBeFocused();
  await page.keyboard.type("https://example.com/");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("link-dialog")).toBeHidden();
  await expect(text.locator('a[href="https://example.com/"]')).toHaveText("world");
  await expect(text).toBeFocused();

  // A code block brings the Language select into the toolbar; it is an item like the buttons,
  // and a letter picks a language.
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Alt+F10");
  await arrowTo(page, "ArrowRight", "toolbar-code-block");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("toolbar-code-language")).toBeVisible();
  await page.keyboard.press("Alt+F10");
  await expect(page.getByTestId("toolbar-code-block")).toBeFocused();
  await page.keyboard.press("End");
  await expect(page.getByTestId("toolbar-code-language")).toBeFocused();
  await page.keyboard.press("j");
  await expect(page.getByTestId("toolbar-code-language")).toHaveValue(/^j/);
  await expect(text.locator("pre")).toBeVisible();
});

test("the document list by keyboard alone: filter, sort, move to Trash, restore, open", async ({ ownerPage: page, api }) => {
  const id = await createDocument(api, "Aardvark keyboard notes");
  await createDocument(api, "Aardwolf keyboard notes");
  await page.goto("/");
  await expect(page.getByTestId("account-name")).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("skip-link")).toBeFocused();
  await page.keyboard.press("Enter");

  await tabTo(page, page.getByTestId("list-filter-owned"));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/filter=owned/);
  await expect(page.getByTestId("list-filter-owned")).toHaveAttribute("aria-current", "page");
  await tabTo(page, page.getByTestId("list-sort-title"));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/sort=title/);
  const firstTitle = page.getByTestId("document-link").first().locator(".document-title");
  await expect(firstTitle).toHaveText("Aardvark keyboard notes");

  // Move to Trash: the row goes, the keyboard stays in the list (on the next document), and
  // the page says what happened.
  const row = page.locator(`li[data-document-id="${id}"]`);
  await tabTo(page, row.getByTestId("document-trash"));
  await page.keyboard.press("Enter");
  await expect(row).toHaveCount(0);
  await expect(firstTitle).toHaveText("Aardwolf keyboard notes");
  await expect(page.getByTestId("document-link").first()).toBeFocused();
  await expect(page.getByTestId("live-announcer")).toHaveText("“Aardvark keyboard notes” moved to the Trash.");

  // The Trash, and Restore, by keyboard.
  await tabTo(page, page.getByTestId("trash-link"), { backwards: true });
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/trash$/);
  const trashed = page.locator(`[data-testid="trash-item"][data-document-id="${id}"]`);
  await tabTo(page, trashed.getByTestId("trash-restore"));
  await page.keyboard.press("Enter");
  await expect(trashed).toHaveCount(0);
  await expect(page.getByTestId("live-announcer")).toHaveText("“Aardvark keyboard notes” restored.");
  expect(await page.evaluate(() => document.activeElement !== document.body)).toBe(true);

  // Back to the list and into the document.
  await tabTo(page, page.getByTestId("trash-back"), { backwards: true });
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Documents" })).toBeVisible();
  await tabTo(page, page.locator(`li[data-document-id="${id}"]`).getByTestId("document-link"));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/d/${id}$`));
  await expect(page.getByTestId("document-title")).toHaveValue("Aardvark keyboard notes");
});
