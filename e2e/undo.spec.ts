// Undo and redo are exact inverses of one's own changes (issue 13, bug 3): typing three
// paragraphs with pauses, undoing them all and redoing them all gives back exactly what was
// typed, no stray empty paragraph, and a redo with nothing left to redo changes nothing;
// what the document holds after a reload is what was on screen.
import type { Page } from "@playwright/test";
import { test, expect, createDocument } from "./fixtures/test";

/** Longer than the undo manager's capture timeout (500 ms): each pause starts a new undo step. */
const PAUSE_MS = 800;

/** The text of each top-level block of the editor, in order. */
function paragraphs(page: Page): Promise<string[]> {
  return page.locator(".ProseMirror").evaluate((editor) => [...editor.children].map((block) => block.textContent ?? ""));
}

async function expectParagraphs(page: Page, expected: string[], step: string): Promise<void> {
  await expect.poll(() => paragraphs(page), { message: step }).toEqual(expected);
}

async function typeThreeParagraphsThenUndoAndRedo(page: Page): Promise<void> {
  const editor = page.locator(".ProseMirror");
  await expect(editor).toHaveAttribute("contenteditable", "true");
  await editor.focus();
  await page.keyboard.type("alpha");
  await page.waitForTimeout(PAUSE_MS);
  await page.keyboard.press("Enter");
  await page.keyboard.type("beta");
  await page.waitForTimeout(PAUSE_MS);
  await page.keyboard.press("Enter");
  await page.keyboard.type("gamma");
  await page.waitForTimeout(PAUSE_MS);
  await expectParagraphs(page, ["alpha", "beta", "gamma"], "typed");

  const undo = () => page.keyboard.press("ControlOrMeta+z");
  const redo = () => page.keyboard.press("ControlOrMeta+Shift+z");
  await undo();
  await expectParagraphs(page, ["alpha", "beta"], "undo 1");
  await undo();
  await expectParagraphs(page, ["alpha"], "undo 2");
  await undo();
  await expectParagraphs(page, [""], "undo 3");
  await redo();
  await expectParagraphs(page, ["alpha"], "redo 1");
  await redo();
  await expectParagraphs(page, ["alpha", "beta"], "redo 2");
  await redo();
  await expectParagraphs(page, ["alpha", "beta", "gamma"], "redo 3");
  // Nothing left to redo: a fourth changes nothing.
  await redo();
  await page.waitForTimeout(PAUSE_MS);
  await expectParagraphs(page, ["alpha", "beta", "gamma"], "redo 4");

  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  await page.reload();
  await expect(page.getByTestId("editor")).toHaveAttribute("data-synced", "true");
  await expectParagraphs(page, ["alpha", "beta", "gamma"], "after reload");
}

test("a new document from the New button: undo ×3 and redo ×4 give back exactly what was typed", async ({ ownerPage: page }) => {
  await page.goto("/");
  await page.getByTestId("new-document").click();
  await expect(page).toHaveURL(/\/d\/[A-Za-z0-9_-]+$/);
  await typeThreeParagraphsThenUndoAndRedo(page);
});

test("a document made through the API, clicked into: undo ×3 and redo ×4 give back exactly what was typed", async ({ ownerPage: page, api }) => {
  const id = await createDocument(api, "Undo");
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await page.locator(".ProseMirror").click();
  await typeThreeParagraphsThenUndoAndRedo(page);
});
