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
