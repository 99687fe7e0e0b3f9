// Out and in (issue 12): the editor's Export menu downloads the document as Markdown and as a
// standalone HTML page named after its title, and printing shows only the document; the home
// page imports Markdown/HTML files (picked or dropped, several at once) into new documents and
// says plainly why a file cannot be imported.
import { readFile } from "node:fs/promises";
import type { APIRequestContext, Page } from "@playwright/test";
import { createDocument, editorText, expect, test } from "./fixtures/test.ts";

/** A document with `markdown` as its content, through the content API. */
async function documentWith(api: APIRequestContext, title: string, markdown: string): Promise<string> {
  const id = await createDocument(api, title);
  const put = await api.put(`/api/documents/${id}/content`, { headers: { "content-type": "text/markdown" }, data: markdown });
  expect(put.status(), await put.text()).toBe(200);
  return id;
}

async function downloadText(page: Page, testId: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
  return { name: download.suggestedFilename(), text: await readFile((await download.path())!, "utf8") };
}

test("Export downloads Markdown and a standalone HTML page named after the title", async ({ ownerPage: page, api }) => {
  const id = await documentWith(api, "Q3 plan: draft/2", "## Goals\n\nShip the **export** menu.\n\n- one\n- two");
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await expect(page.locator(".ProseMirror h2")).toHaveText("Goals");

  await page.getByText("Export", { exact: true }).click();
  const markdown = await downloadText(page, "export-markdown");
  expect(markdown.name).toBe("Q3 plan draft 2.md");
  // The editor may add an empty paragraph at the end (a trailing node): compare the text.
  expect(markdown.text.trimEnd()).toBe("## Goals\n\nShip the **export** menu.\n\n- one\n- two");

  await page.getByText("Export", { exact: true }).click();
  const html = await downloadText(page, "export-html");
  expect(html.name).toBe("Q3 plan draft 2.html");
  expect(html.text).toMatch(/^<!doctype html>/);
  expect(html.text).toContain("<title>Q3 plan: draft/2</title>");
  expect(html.text).toContain("<h2>Goals</h2><p>Ship the <strong>export</strong> menu.</p>");
  expect(html.text).toMatch(/<style>[^<]+<\/style>/);
});

test("printing shows the document only: no site header, toolbar, buttons or status", async ({ ownerPage: page, api }) => {
  const id = await documentWith(api, "Printable", "Printed words.");
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await expect(page.getByTestId("toolbar")).toBeVisible();
  await page.emulateMedia({ media: "print" });
  for (const hidden of [page.locator(".site-header"), page.getByTestId("toolbar"), page.getByTestId("connection-status"), page.getByTestId("save-status"), page.getByText("Export", { exact: true })]) {
    await expect(hidden).toBeHidden();
  }
  await expect(page.locator("button:visible")).toHaveCount(0);
  await expect(page.getByTestId("document-title")).toBeVisible();
  await expect(page.locator(".ProseMirror")).toHaveText("Printed words.");
  await page.emulateMedia({ media: "screen" });
  await expect(page.getByTestId("toolbar")).toBeVisible();
});

test("importing a Markdown file from the home page opens a new document with its content", async ({ ownerPage: page }) => {
  await page.goto("/");
  await page.getByTestId("import-input").setInputFiles({
    name: "notes.md",
    mimeType: "text/markdown",
    buffer: Buffer.from("# Imported notes\n\nFrom a *file*.\n\n- [x] done\n- [ ] to do"),
  });
  await expect(page).toHaveURL(/\/d\/[\w-]+$/);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await expect(page.getByTestId("document-title")).toHaveValue("Imported notes");
  await expect(page.locator(".ProseMirror h1")).toHaveText("Imported notes");
  expect(await editorText(page)).toContain("From a file.");
});

test("files that cannot be imported say why; dropping several files imports each", async ({ ownerPage: page }) => {
  await page.goto("/");
  await page.getByTestId("import-input").setInputFiles([
    { name: "broken.md", mimeType: "text/markdown", buffer: Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x00]) },
    { name: "photo.png", mimeType: "image/png", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
    { name: "huge.md", mimeType: "text/markdown", buffer: Buffer.alloc(2 * 1024 * 1024, "a") },
  ]);
  const status = page.getByTestId("import-status");
  await expect(status.getByRole("alert")).toHaveCount(3);
  await expect(status).toContainText("broken.md: The body is not valid UTF-8.");
  await expect(status).toContainText("photo.png: only Markdown (.md, .markdown, .txt) and HTML (.html, .htm) files can be imported.");
  await expect(status).toContainText("huge.md is 2.0 MB; files up to 1.0 MB can be imported.");
  await expect(page).toHaveURL(/\/$/);

  // Two files dropped on the page: two new documents, listed with links.
  await page.evaluate(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(["<h1>From HTML</h1><p>dropped</p>"], "page.html", { type: "text/html" }));
    transfer.items.add(new File(["no heading here"], "plain notes.txt", { type: "text/plain" }));
    document.body.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }));
    document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  await expect(status.getByRole("link", { name: "From HTML" })).toBeVisible();
  await expect(status.getByRole("link", { name: "plain notes" })).toBeVisible();
  await expect(page.getByTestId("document-list")).toContainText("From HTML");
  await status.getByRole("link", { name: "plain notes" }).click();
  await expect(page.locator(".ProseMirror")).toHaveText("no heading here");
});
