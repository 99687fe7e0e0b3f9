// A phone, 390 × 844 with touch (issue 13): no page scrolls sideways (the editor page was 525 px
// wide and Share was off-screen), the toolbar scrolls inside itself, dialogs fit the screen,
// and the header's and toolbar's controls are at least 44 × 44 px (WCAG 2.5.5).
import type { Browser, BrowserContext, Locator, Page } from "@playwright/test";
import { test, expect, createDocument } from "./fixtures/test";

const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };
type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

async function phonePage(browser: Browser, baseURL: string, state: StorageState | null): Promise<Page> {
  const context = await browser.newContext({ baseURL, ...PHONE, ...(state ? { storageState: state } : {}) });
  return context.newPage();
}

/** The page is no wider than the screen: nothing to scroll sideways. */
async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(clientWidth, what).toBe(390);
  expect.soft(scrollWidth, `${what}: page width`).toBeLessThanOrEqual(clientWidth);
}

/** `locator`'s box lies inside the 390 × 844 viewport. */
async function expectInsideViewport(locator: Locator, what: string): Promise<void> {
  const box = await locator.boundingBox();
  expect(box, what).not.toBeNull();
  expect.soft(box!.x, `${what}: left`).toBeGreaterThanOrEqual(0);
  expect.soft(box!.y, `${what}: top`).toBeGreaterThanOrEqual(0);
  expect.soft(box!.x + box!.width, `${what}: right`).toBeLessThanOrEqual(390);
  expect.soft(box!.y + box!.height, `${what}: bottom`).toBeLessThanOrEqual(844);
}

/** `a` and `b` do not overlap (text running under a button, say). */
async function expectApart(a: Locator, b: Locator, what: string): Promise<void> {
  const [boxA, boxB] = [await a.boundingBox(), await b.boundingBox()];
  expect(boxA && boxB, what).toBeTruthy();
  const overlapX = Math.min(boxA!.x + boxA!.width, boxB!.x + boxB!.width) - Math.max(boxA!.x, boxB!.x);
  const overlapY = Math.min(boxA!.y + boxA!.height, boxB!.y + boxB!.height) - Math.max(boxA!.y, boxB!.y);
  expect.soft(overlapX <= 0 || overlapY <= 0, `${what} overlap`).toBe(true);
}

/** Every visible control in `scope` is at least 44 × 44 px; returns how many were measured. */
async function expectTouchTargets(scope: Locator, what: string): Promise<number> {
  const sizes = await scope.evaluate((element) =>
    [...element.querySelectorAll<HTMLElement>("a[href], button, select, summary")]
      .filter((control) => control.getClientRects().length > 0)
      .map((control) => {
        const { width, height } = control.getBoundingClientRect();
        return { name: control.dataset.testid ?? control.textContent?.trim() ?? control.tagName, width, height };
      }),
  );
  const small = sizes.filter(({ width, height }) => width < 44 || height < 44);
  expect.soft(small, `${what}: controls smaller than 44 × 44 px`).toEqual([]);
  return sizes.length;
}

test("signed in: home, editor with a table, share and shortcut dialogs, trash and settings fit a phone", async ({ browser, baseURL, api, ownerState }) => {
  const id = await createDocument(api, "A phone-sized document with a rather long title that must wrap");
  await createDocument(api, "Another document on the phone");
  const trashed = await createDocument(api, "Trashed on the phone");
  expect((await api.delete(`/api/documents/${trashed}`)).ok()).toBe(true);
  const page = await phonePage(browser, baseURL, ownerState);

  await page.goto("/");
  await expect(page.getByTestId("document-list")).toBeVisible();
  await expectNoSidewaysScroll(page, "home");
  const row = page.locator(".document-row").first();
  await expectApart(row.getByTestId("document-updated"), row.getByTestId("document-trash"), "a row's time and its Trash button");
  expect(await expectTouchTargets(page.locator(".site-header"), "header")).toBeGreaterThanOrEqual(4);

  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await page.locator(".ProseMirror").click();
  await page.keyboard.type("Some text, then a table with long words: internationalisation, characteristically.");
  await page.keyboard.press("Enter");
  await page.getByTestId("toolbar-table").click();
  await expect(page.getByTestId("toolbar-table-group")).toBeVisible();
  await page.keyboard.type("A header cell with several words in it");
  await expectNoSidewaysScroll(page, "editor");
  // The title has a line of its own, the buttons wrap below it.
  expect((await page.getByTestId("document-title").boundingBox())!.width).toBeGreaterThan(300);
  // The toolbar stays inside the screen (it scrolls sideways inside itself), so does Share.
  await expectInsideViewport(page.getByTestId("toolbar"), "toolbar");
  await expectInsideViewport(page.getByTestId("share-button"), "share button");
  expect(await expectTouchTargets(page.getByTestId("toolbar"), "toolbar")).toBeGreaterThanOrEqual(20);
  await expectTouchTargets(page.locator(".site-header"), "editor header");
  await expectTouchTargets(page.locator(".document-header"), "document header");

  await page.getByTestId("share-button").click();
  const share = page.getByTestId("share-dialog");
  await expect(share).toBeVisible();
  await page.getByTestId("share-create").click();
  await expect(page.getByTestId("share-url")).toBeVisible();
  await expectInsideViewport(share, "share dialog");
  await expectNoSidewaysScroll(page, "share dialog");
  for (const control of await share.locator("button, select, input").all()) await expectInsideViewport(control, "a share dialog control");
  await page.keyboard.press("Escape");
  await expect(share).toBeHidden();

  // The comments sidebar, with a thread and the new-comment box, below the text on a phone.
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  const made = await api.post(`/api/documents/${id}/comments`, { data: { text: "internationalisation", body: "A comment with a long word: characteristically-internationalised https://example.com/a/rather/long/address" } });
  expect(made.status()).toBe(201);
  await page.getByTestId("toggle-comments").click();
  await expect(page.getByTestId("comment-thread")).toHaveCount(1);
  await expectNoSidewaysScroll(page, "comments sidebar");
  await page.getByTestId("comment-reply-text").scrollIntoViewIfNeeded();
  await expectInsideViewport(page.getByTestId("comment-reply-text"), "reply box");
  await expectTouchTargets(page.locator(".comment-bar"), "comment buttons");
  await page.getByTestId("toggle-comments").click();

  await page.getByTestId("shortcuts-open").click();
  await expect(page.getByTestId("shortcuts-dialog")).toBeVisible();
  await expectInsideViewport(page.getByTestId("shortcuts-dialog"), "shortcuts dialog");
  await page.keyboard.press("Escape");

  for (const path of ["/trash", "/settings"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoSidewaysScroll(page, path);
    await expectTouchTargets(page.locator(".site-header"), `${path} header`);
  }
  await page.context().close();
});

test("signed out: landing, sign-in and sign-up fit a phone", async ({ browser, baseURL }) => {
  const page = await phonePage(browser, baseURL, null);
  for (const path of ["/", "/sign-in", "/sign-up"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoSidewaysScroll(page, path);
    await expectTouchTargets(page.locator(".site-header"), `${path} header`);
  }
  await page.context().close();
});
