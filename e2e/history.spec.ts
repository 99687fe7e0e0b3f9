// Version history (issue 14) as two people see it: the owner saves versions from the history
// panel, previews one with the changes marked (who added what, against the version before and
// against the current document) and restores it; the other person, editing through a link,
// sees the restore at once, and the owner's Ctrl+Z undoes it for both.
import type { Browser, Page } from "@playwright/test";
import { createDocument, createShareLink, editorText, expect, newContext, test } from "./fixtures/test.ts";

async function open(browser: Browser, baseURL: string, path: string, state: Parameters<typeof newContext>[2], guestName?: string): Promise<Page> {
  const page = await (await newContext(browser, baseURL, state)).newPage();
  await page.goto(path);
  if (guestName) {
    await page.getByTestId("guest-name").fill(guestName);
    await page.getByTestId("guest-continue").click();
  }
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await expect(page.getByTestId("editor").locator(".ProseMirror")).toHaveAttribute("contenteditable", "true");
  return page;
}

async function saveVersion(page: Page, name: string): Promise<void> {
  await page.getByTestId("history-save-name").fill(name);
  await page.getByTestId("history-save").click();
  await expect(page.getByTestId("history-entry").filter({ hasText: name })).toBeVisible();
}

test("history: save versions, preview one with its changes by author, restore it; the other person sees it and Ctrl+Z undoes it", async ({ browser, baseURL, api, ownerState }) => {
  const id = await createDocument(api, "History");
  const link = new URL(await createShareLink(api, id, "editor"));
  const ada = await open(browser, baseURL, `/d/${id}`, ownerState);
  const bob = await open(browser, baseURL, link.pathname + link.search, null, "Bob");

  await ada.getByTestId("editor").locator(".ProseMirror").click();
  await ada.keyboard.type("Original text.");
  await expect.poll(() => editorText(bob)).toContain("Original text.");
  await ada.getByTestId("history-open").click();
  await expect(ada.getByTestId("history-panel")).toBeVisible();
  await expect(ada.getByRole("heading", { name: "Version history" })).toBeFocused();
  await saveVersion(ada, "First draft");
  await ada.getByTestId("history-close").click();
  await expect(ada.getByTestId("history-open")).toBeFocused();

  // Bob adds a sentence; Ada saves a second version with it.
  await bob.getByTestId("editor").locator(".ProseMirror").click();
  await bob.keyboard.press("ControlOrMeta+End");
  await bob.keyboard.type(" Bob's addition.");
  await expect.poll(() => editorText(ada)).toContain("Bob's addition.");
  await ada.getByTestId("history-open").click();
  await saveVersion(ada, "With Bob");

  // Against the version before: Bob's sentence is marked added, by Bob.
  await ada.getByTestId("history-entry").filter({ hasText: "With Bob" }).click();
  const preview = ada.getByTestId("history-preview-content");
  const added = preview.locator('ins[data-change="added"]');
  await expect(added).toContainText("Bob's addition.");
  await expect(added.first()).toHaveAttribute("title", "Added by Bob (guest)");
  await expect(ada.getByTestId("history-legend")).toContainText("Changes by Bob (guest)");
  await expect(preview.locator(".ProseMirror")).toHaveAttribute("contenteditable", "false");

  // The first draft against the current document: Bob's sentence is only in the current one.
  await ada.getByTestId("history-entry").filter({ hasText: "First draft" }).click();
  await ada.getByTestId("history-compare-current").check();
  await expect(preview.locator('del[data-change="removed"]')).toContainText("Bob's addition.");
  await expect(preview).toContainText("Original text.");

  // Restore: the live document reads like the first draft, for Ada and for Bob at once.
  await ada.getByTestId("history-restore").click();
  await expect(ada.getByTestId("history-panel")).toHaveCount(0);
  await expect.poll(() => editorText(ada)).toBe("Original text.");
  await expect.poll(() => editorText(bob)).toBe("Original text.");

  // It was a change like any other: Ada's Ctrl+Z brings Bob's sentence back, for both.
  await ada.getByTestId("editor").locator(".ProseMirror").focus();
  await ada.keyboard.press("ControlOrMeta+z");
  await expect.poll(() => editorText(ada)).toContain("Bob's addition.");
  await expect.poll(() => editorText(bob)).toContain("Bob's addition.");

  // Bob (an editor through the link) browses the same history; its versions are all still there.
  await bob.getByTestId("history-open").click();
  await expect(bob.getByTestId("history-entry").filter({ hasText: "First draft" })).toBeVisible();
  await expect(bob.getByTestId("history-entry").filter({ hasText: "With Bob" })).toBeVisible();
  await ada.context().close();
  await bob.context().close();
});

test("history: a viewer browses but cannot restore; the owner can turn browsing off for readers", async ({ browser, baseURL, api, ownerState }) => {
  const id = await createDocument(api, "Readers");
  const link = new URL(await createShareLink(api, id, "viewer"));
  const ada = await open(browser, baseURL, `/d/${id}`, ownerState);
  await ada.getByTestId("editor").locator(".ProseMirror").click();
  await ada.keyboard.type("Something to keep.");
  await ada.getByTestId("history-open").click();
  await saveVersion(ada, "Kept");

  const reader = await (await newContext(browser, baseURL, null)).newPage();
  await reader.goto(link.pathname + link.search);
  await reader.getByTestId("guest-name").fill("Reader");
  await reader.getByTestId("guest-continue").click();
  await expect(reader.getByTestId("connection-status")).toHaveText("Connected");
  await reader.getByTestId("history-open").click();
  await reader.getByTestId("history-entry").filter({ hasText: "Kept" }).click();
  await expect(reader.getByTestId("history-preview-content")).toContainText("Something to keep.");
  await expect(reader.getByTestId("history-restore")).toHaveCount(0);
  await expect(reader.getByTestId("history-save")).toHaveCount(0);

  const saved = ada.waitForResponse((response) => response.url().endsWith(`/api/documents/${id}/versions`) && response.request().method() === "PATCH");
  await ada.getByTestId("history-readers").uncheck();
  expect((await saved).status()).toBe(200);
  await reader.getByTestId("history-close").click();
  await reader.getByTestId("history-open").click();
  await expect(reader.getByTestId("history-error")).toContainText("turned its version history off");
  await ada.context().close();
  await reader.context().close();
});
