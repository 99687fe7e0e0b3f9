// The editor's content features as a user sees them: tables and task lists shared live between
// two people, the slash menu, links through Ctrl+K (and the refusal of javascript:), the
// outline, word and character counts, and the keyboard-shortcuts help.

import type { Browser, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { createDocument, expect, newContext, test } from "./fixtures/test.ts";

type State = Parameters<typeof newContext>[2];

/** The document open and editable for the owner, in a context of its own. */
async function openEditor(browser: Browser, baseURL: string, id: string, state: State): Promise<Page> {
  const context = await newContext(browser, baseURL, state);
  const page = await context.newPage();
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("editor")).toHaveAttribute("data-editable", "true");
  return page;
}

/** The text of each header (th) or body (td) cell, without the remote carets' name labels. */
function cellTexts(page: Page, cell: "th" | "td"): Promise<string[]> {
  return page.locator(".ProseMirror table").evaluate((table, selector) => {
    const copy = table.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collaboration-carets__caret").forEach((caret) => caret.remove());
    return [...copy.querySelectorAll(selector)].map((element) => element.textContent ?? "");
  }, cell);
}

test("a table inserted and typed into in one browser appears in the other; Tab moves between cells", async ({ browser, baseURL, api, ownerState }) => {
  const id = await createDocument(api, "Tables");
  const ada = await openEditor(browser, baseURL, id, ownerState);
  const again = await openEditor(browser, baseURL, id, ownerState);

  await ada.locator(".ProseMirror").click();
  await ada.getByTestId("toolbar-table").click();
  // The table's own buttons appear while the caret is in it.
  await expect(ada.getByTestId("toolbar-table-group")).toBeVisible();
  await ada.keyboard.type("Name");
  await ada.keyboard.press("Tab");
  await ada.keyboard.type("Role");
  await ada.keyboard.press("Tab");
  await ada.keyboard.type("Notes");
  await ada.keyboard.press("Tab");
  await ada.keyboard.type("Ada");
  // Back two cells (Shift+Tab selects a cell's text), then on at the end of it.
  await ada.keyboard.press("Shift+Tab");
  await ada.keyboard.press("Shift+Tab");
  await ada.keyboard.press("End");
  await ada.keyboard.type("!");

  const table = again.locator(".ProseMirror table");
  await expect.poll(() => cellTexts(again, "th")).toEqual(["Name", "Role!", "Notes"]);
  await expect.poll(() => cellTexts(again, "td")).toEqual(["Ada", "", "", "", "", ""]);

  // Rows and columns (from the "Ada" cell): one more of each, then the header row off, then the table gone.
  await ada.locator(".ProseMirror td").first().click();
  await ada.getByTestId("toolbar-addRowAfter").click();
  await expect(table.locator("tr")).toHaveCount(4);
  await ada.getByTestId("toolbar-addColumnAfter").click();
  await expect(table.locator("tr").first().locator("th, td")).toHaveCount(4);
  await ada.getByTestId("toolbar-deleteColumn").click();
  await expect(table.locator("tr").first().locator("th, td")).toHaveCount(3);
  await ada.getByTestId("toolbar-deleteRow").click();
  await expect(table.locator("tr")).toHaveCount(3);
  await expect.poll(() => cellTexts(again, "td")).not.toContain("Ada");
  await ada.getByTestId("toolbar-toggleHeaderRow").click();
  await expect(table.locator("th")).toHaveCount(0);
  await ada.getByTestId("toolbar-deleteTable").click();
  await expect(again.locator(".ProseMirror table")).toHaveCount(0);
  await expect(ada.getByTestId("toolbar-table-group")).toHaveCount(0);

  await ada.context().close();
  await again.context().close();
});

test("ticking a task's checkbox shows in the other browser", async ({ browser, baseURL, api, ownerState }) => {
  const id = await createDocument(api, "Tasks");
  const ada = await openEditor(browser, baseURL, id, ownerState);
  const again = await openEditor(browser, baseURL, id, ownerState);

  await ada.locator(".ProseMirror").click();
  await ada.getByTestId("toolbar-task-list").click();
  await ada.keyboard.type("Write the report");
  await ada.keyboard.press("Enter");
  await ada.keyboard.type("Send it");

  const items = again.locator('.ProseMirror ul[data-type="taskList"] > li');
  await expect(items).toHaveCount(2);
  await expect(items.nth(1)).toHaveAttribute("data-checked", "false");

  await ada.locator('.ProseMirror ul[data-type="taskList"] > li').nth(1).locator('input[type="checkbox"]').check();
  await expect(items.nth(1)).toHaveAttribute("data-checked", "true");
  await expect(items.nth(1).locator('input[type="checkbox"]')).toBeChecked();
  // And back, from the other side.
  await items.nth(1).locator('input[type="checkbox"]').uncheck();
  await expect(ada.locator('.ProseMirror ul[data-type="taskList"] > li').nth(1)).toHaveAttribute("data-checked", "false");

  await ada.context().close();
  await again.context().close();
});

test("the slash menu inserts a heading; arrows and Enter choose, Escape closes", async ({ ownerPage: page, api }) => {
  const id = await createDocument(api, "Slash");
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("editor")).toHaveAttribute("data-editable", "true");
  // An empty document invites writing.
  await expect(page.locator(".ProseMirror p.is-editor-empty")).toHaveAttribute("data-placeholder", /type \//);

  const editor = page.locator(".ProseMirror");
  await editor.click();
  await page.keyboard.type("/");
  const menu = page.getByRole("listbox", { name: "Insert block" });
  await expect(menu).toBeVisible();
  await expect(menu.getByRole("option").first()).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Escape");
  await expect(menu).toHaveCount(0);
  await expect(editor).toHaveText("/");

  await page.keyboard.press("Backspace");
  await page.keyboard.type("/head");
  await expect(menu.getByRole("option")).toHaveText(["Heading 1", "Heading 2", "Heading 3"]);
  await page.keyboard.press("ArrowDown");
  await expect(menu.getByRole("option", { name: "Heading 2" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("slash-menu-status")).toHaveText(/^Heading 2, 2 of 3\./);
  await page.keyboard.press("Enter");
  await expect(menu).toHaveCount(0);
  await page.keyboard.type("Plans");
  await expect(page.locator(".ProseMirror h2")).toHaveText("Plans");

  // A slash inside a word is just a slash.
  await page.keyboard.press("Enter");
  await page.keyboard.type("and/or");
  await expect(menu).toHaveCount(0);
  // After a space it opens again; a click on an option works too.
  await page.keyboard.type(" /");
  await page.getByTestId("slash-option-taskList").click();
  await expect(page.locator('.ProseMirror ul[data-type="taskList"] > li')).toHaveCount(1);
});

test("Ctrl+K adds a link with our target and rel; a javascript: address is refused; the bubble edits and removes", async ({ ownerPage: page, api }) => {
  const id = await createDocument(api, "Links");
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("editor")).toHaveAttribute("data-editable", "true");
  const editor = page.locator(".ProseMirror");
  await editor.click();
  await page.keyboard.type("See ");

  await page.keyboard.press("ControlOrMeta+k");
  const dialog = page.getByRole("dialog", { name: "Add link" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Address").fill("javascript:alert(document.cookie)");
  await dialog.getByLabel("Text").fill("evil");
  await dialog.getByRole("button", { name: "Save link" }).click();
  await expect(dialog.getByRole("alert")).toContainText("Only http:, https: and mailto:");
  await expect(dialog).toBeVisible();
  await expect(editor.locator("a")).toHaveCount(0);

  await dialog.getByLabel("Address").fill("example.com/docs");
  await dialog.getByLabel("Text").fill("the docs");
  await dialog.getByRole("button", { name: "Save link" }).click();
  await expect(dialog).toBeHidden();
  const link = editor.locator("a");
  await expect(link).toHaveText("the docs");
  await expect(link).toHaveAttribute("href", "https://example.com/docs");
  await expect(link).toHaveAttribute("target", "_blank");
  await expect(link).toHaveAttribute("rel", "noopener noreferrer nofollow");
  // Typing on after the link is plain text.
  await page.keyboard.type(" now");
  await expect(editor.locator("a")).toHaveText("the docs");

  // The bubble of the link under the caret: edit, then remove.
  // (A click would follow the link: keys put the caret inside it.)
  for (let i = 0; i < 6; i++) await page.keyboard.press("ArrowLeft");
  const bubble = page.getByTestId("link-bubble");
  await expect(bubble).toBeVisible();
  await expect(page.getByTestId("link-bubble-open")).toHaveAttribute("href", "https://example.com/docs");
  await bubble.getByRole("button", { name: "Edit" }).click();
  const editDialog = page.getByRole("dialog", { name: "Edit link" });
  await expect(editDialog.getByLabel("Text")).toHaveValue("the docs");
  await editDialog.getByLabel("Address").fill("mailto:team@example.com");
  await editDialog.getByRole("button", { name: "Save link" }).click();
  await expect(link).toHaveAttribute("href", "mailto:team@example.com");
  await expect(link).toHaveText("the docs");

  await link.hover();
  await expect(bubble).toBeVisible();
  await bubble.getByRole("button", { name: "Remove" }).click();
  await expect(editor.locator("a")).toHaveCount(0);
  await expect(editor).toHaveText("See the docs now");
});

test("the outline lists the headings and jumps to one; counts follow the text; Ctrl+/ opens the shortcuts, Escape closes them", async ({ ownerPage: page, api }) => {
  const id = await createDocument(api, "Outline");
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("editor")).toHaveAttribute("data-editable", "true");
  const outline = page.getByRole("navigation", { name: "Outline" });
  await expect(outline.getByRole("button")).toHaveCount(0);
  await expect(page.getByTestId("word-count")).toHaveText("0 words · 0 characters");

  await page.locator(".ProseMirror").click();
  await page.keyboard.type("# Introduction\nSome words here.\n## Details\n");
  for (let i = 0; i < 40; i++) await page.keyboard.press("Enter");
  await page.keyboard.type("### Far below");
  await expect(outline.getByRole("button")).toHaveText(["Introduction", "Details", "Far below"]);
  await expect(page.getByTestId("word-count")).toHaveText("7 words · 44 characters");

  // Jump to the first heading: the caret goes there (typing lands in it).
  await outline.getByRole("button", { name: "Introduction" }).click();
  await expect(page.locator(".ProseMirror h1")).toBeInViewport();
  await page.keyboard.type("X");
  await expect(page.locator(".ProseMirror h1")).toHaveText(/X/);
  await expect(outline.getByRole("button").first()).toHaveText(/X/);

  // Right after an edit that moves every heading below it, a jump still lands in its heading:
  // the listed positions trail the text by a moment (app/d/[id]/documentSummary.ts). The edit
  // and the click happen in one task here, so the list cannot have caught up in between.
  await page.keyboard.press("End");
  await page.evaluate(() => {
    const editor = (document.querySelector(".ProseMirror") as HTMLElement & { editor: { commands: { insertContent(html: string): boolean } } }).editor;
    editor.commands.insertContent("<p>A new paragraph long enough to move the headings below it well past where they were.</p>");
    const details = [...document.querySelectorAll<HTMLButtonElement>('[data-testid="outline-entry"]')].find((button) => button.textContent === "Details");
    details!.click();
  });
  await page.keyboard.type("Y");
  await expect(page.locator(".ProseMirror h2")).toHaveText("YDetails");

  await page.keyboard.press("ControlOrMeta+/");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toBeVisible();
  await expect(help).toContainText("Ctrl+K");
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();
});

/** axe's WCAG A/AA findings inside the given parts of the page, as "rule: targets" lines. */
async function axeViolations(page: Page, ...selectors: string[]): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
  for (const selector of selectors) builder = builder.include(selector);
  const result = await builder.analyze();
  return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => `${node.target} (${node.failureSummary})`).join(", ")}`);
}

test("axe finds nothing in the toolbar, the content blocks, the outline, the slash menu and the link and shortcut dialogs", async ({ ownerPage: page, api }) => {
  const id = await createDocument(api, "Accessible");
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("editor")).toHaveAttribute("data-editable", "true");
  await page.locator(".ProseMirror").click();
  await page.keyboard.type("# Title\n");
  await page.getByTestId("toolbar-task-list").click();
  await page.keyboard.type("a task\n\n");
  await page.getByTestId("toolbar-code-block").click();
  await page.keyboard.type("const x = 1;");
  await expect(page.getByTestId("toolbar-code-language")).toBeVisible();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.getByTestId("toolbar-table").click();
  await expect(page.getByTestId("toolbar-table-group")).toBeVisible();
  expect(await axeViolations(page, '[data-testid="toolbar"]', ".ProseMirror", '[data-testid="outline"]', ".editor-footer")).toEqual([]);

  await page.locator(".ProseMirror h1").click();
  await page.keyboard.press("End");
  await page.keyboard.type(" /");
  await expect(page.getByRole("listbox", { name: "Insert block" })).toBeVisible();
  expect(await axeViolations(page, '[data-testid="slash-menu"]', ".ProseMirror")).toEqual([]);
  await page.keyboard.press("Escape");

  await page.keyboard.press("ControlOrMeta+k");
  await page.getByTestId("link-href").fill("javascript:x");
  await page.getByTestId("link-save").click();
  await expect(page.getByTestId("link-error")).toBeVisible();
  expect(await axeViolations(page, '[data-testid="link-dialog"]')).toEqual([]);
  await page.keyboard.press("Escape");

  await page.keyboard.press("ControlOrMeta+/");
  await expect(page.getByTestId("shortcuts-dialog")).toBeVisible();
  expect(await axeViolations(page, '[data-testid="shortcuts-dialog"]')).toEqual([]);
});
