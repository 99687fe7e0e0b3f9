// Keyboard-only use of the Share dialog: it is modal for real (issue 13): focus moves in and
// stays in, Escape closes it and focus returns to the Share button; after "Create link" the
// focus is on the new link's Copy button, not lost to the page.
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
