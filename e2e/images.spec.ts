// Images in documents (issue 12), as people use them: the owner uploads one from the toolbar
// (with its progress shown) and a guest reading through a view link sees it appear; alt text
// edited in its dialog reaches the other person; a pasted screenshot and a dropped file are
// uploaded where they were put; a refused file (SVG, too large) says why and inserts nothing.
import type { Locator, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { createDocument, createShareLink, expect, test } from "./fixtures/test.ts";
import { SVG_WITH_SCRIPT, solidPng } from "../server/testing/imageFixtures.ts";

const editorOf = (page: Page) => page.locator(".ProseMirror");
// ProseMirror adds an img.ProseMirror-separator after an inline node ending a line (a caret hack).
const imagesIn = (scope: Locator) => scope.locator("img:not(.ProseMirror-separator)");
const imagesOf = (page: Page) => imagesIn(editorOf(page));

/** A PNG that draws (4×3 red) followed by `padding` bytes after its end, which decoders ignore:
 *  a real image as large as a test needs. */
function paddedPng(padding: number): Buffer {
  return Buffer.concat([Buffer.from(solidPng(4, 3)), Buffer.alloc(padding)]);
}

/** True once every image in the editor has loaded and drawn (a refused request draws nothing). */
async function allDrawn(page: Page): Promise<boolean> {
  return imagesOf(page).evaluateAll((images) => images.length > 0 && images.every((image) => (image as HTMLImageElement).complete && (image as HTMLImageElement).naturalWidth === 4));
}

async function openAsOwner(page: Page, id: string): Promise<void> {
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await expect(editorOf(page)).toHaveAttribute("contenteditable", "true");
}

async function openAsGuest(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId("guest-name").fill(name);
  await page.getByTestId("guest-continue").click();
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
}

test("an image uploaded from the toolbar, with progress, appears for a view-link guest; its alt text edit reaches them too", async ({ ownerPage: page, api, browser }) => {
  const id = await createDocument(api, `Images ${Date.now()}`);
  const viewUrl = await createShareLink(api, id, "viewer");
  await openAsOwner(page, id);
  await editorOf(page).click();
  await page.keyboard.type("A chart: ");

  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await openAsGuest(guest, viewUrl, "Vera");
  await expect(editorOf(guest)).toContainText("A chart:");
  // A viewer gets no upload.
  await expect(guest.getByTestId("toolbar-image")).toBeDisabled();

  // Slow the owner's uplink so the progress can be seen: 2 MB at ~1 MB/s.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 1024 * 1024 });
  await page.getByTestId("image-upload-input").setInputFiles({ name: "chart.png", mimeType: "image/png", buffer: paddedPng(2 * 1024 * 1024) });
  const status = page.getByTestId("image-upload-status");
  await expect(status).toContainText(/Uploading chart\.png… \d+%/);
  await expect(status.locator("progress")).toBeVisible();
  await expect(status).toHaveCount(0, { timeout: 15_000 });
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  // In the owner's document, after the text typed before, and drawn from our own URL.
  await expect(imagesOf(page)).toHaveCount(1);
  const src = await imagesOf(page).getAttribute("src");
  expect(src).toMatch(new RegExp(`^/api/documents/${id}/images/[A-Za-z0-9_-]+$`));
  await expect.poll(() => allDrawn(page)).toBe(true);
  await expect(page.getByTestId("save-status")).toHaveText("Saved");

  // The guest sees it drawn (requested with their link's token) without reloading.
  await expect(imagesOf(guest)).toHaveCount(1);
  await expect(imagesOf(guest)).toHaveAttribute("src", `${src}?token=${new URL(viewUrl).searchParams.get("token")}`);
  await expect.poll(() => allDrawn(guest)).toBe(true);

  // Served through Next as the route answers it: sniffed type, nosniff, inline, private cache.
  const served = await api.get(src!);
  expect(served.status()).toBe(200);
  expect(served.headers()).toMatchObject({
    "content-type": "image/png",
    "x-content-type-options": "nosniff",
    "content-disposition": expect.stringMatching(/^inline; filename="[A-Za-z0-9_-]+\.png"$/),
    "cache-control": "private, max-age=31536000, immutable",
  });

  // Alt text: until described, the image says it has no description; select it, open the
  // dialog, describe it.
  await expect(imagesOf(page)).toHaveAttribute("alt", "Image without a description");
  await expect(page.getByTestId("toolbar-image-alt")).toBeDisabled();
  await imagesOf(page).click();
  await page.getByTestId("toolbar-image-alt").click();
  const dialog = page.getByTestId("image-alt-dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("textbox", { name: "Describe the image for people who cannot see it" })).toBeFocused();
  // No accessibility violations in what this feature draws: the image, the buttons, the dialog.
  const axe = await new AxeBuilder({ page }).include(".ProseMirror img").include(".image-upload").include('[data-testid="toolbar-image-alt"]').include('[data-testid="image-alt-dialog"]').analyze();
  expect(axe.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(", ")}`)).toEqual([]);
  await dialog.getByTestId("image-alt-input").fill("Sales by month, rising in spring");
  await dialog.getByTestId("image-alt-save").click();
  await expect(dialog).toBeHidden();
  await expect(imagesOf(page)).toHaveAttribute("alt", "Sales by month, rising in spring");
  await expect(imagesOf(guest)).toHaveAttribute("alt", "Sales by month, rising in spring");

  // Markdown export carries it, with our URL.
  const markdown = await (await api.get(`/api/documents/${id}/content?format=markdown`)).text();
  expect(markdown).toContain(`A chart: ![Sales by month, rising in spring](${src})`);

  // Editing it again starts from the current text; Cancel changes nothing.
  await imagesOf(page).click();
  await page.getByTestId("toolbar-image-alt").click();
  await expect(dialog.getByTestId("image-alt-input")).toHaveValue("Sales by month, rising in spring");
  await dialog.getByTestId("image-alt-input").fill("Not this");
  await dialog.getByTestId("image-alt-cancel").click();
  await expect(imagesOf(page)).toHaveAttribute("alt", "Sales by month, rising in spring");
  await guestContext.close();
});

test("a pasted screenshot and a dropped file are uploaded and put where they were pasted and dropped", async ({ ownerPage: page, api, browser }) => {
  const id = await createDocument(api, `Paste ${Date.now()}`);
  const editUrl = await createShareLink(api, id, "editor");
  await openAsOwner(page, id);
  await editorOf(page).click();
  await page.keyboard.type("First line");
  await page.keyboard.press("Enter");
  await page.keyboard.type("Second line");

  // Paste at the end of the first line: a clipboard holding only an image file.
  await editorOf(page).getByText("First line").click();
  await page.keyboard.press("End");
  const png = Array.from(paddedPng(0));
  await editorOf(page).evaluate((element, bytes) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(bytes)], "screenshot.png", { type: "image/png" }));
    element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, png);
  await expect(imagesIn(editorOf(page).locator("p").first())).toHaveCount(1);
  await expect(editorOf(page).locator("p").first()).toHaveText("First line");

  // An edit-link guest drops a file onto the start of the second line.
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await openAsGuest(guest, editUrl, "Gus");
  await expect(editorOf(guest)).toHaveAttribute("contenteditable", "true");
  await expect(imagesOf(guest)).toHaveCount(1);
  const target = editorOf(guest).getByText("Second line");
  const box = (await target.boundingBox())!;
  await editorOf(guest).evaluate((element, { bytes, x, y }) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(bytes)], "dropped.png", { type: "image/png" }));
    element.dispatchEvent(new DragEvent("drop", { dataTransfer: data, clientX: x, clientY: y, bubbles: true, cancelable: true }));
  }, { bytes: png, x: box.x + 2, y: box.y + box.height / 2 });
  await expect(imagesIn(editorOf(guest).locator("p").nth(1))).toHaveCount(1);
  await expect(editorOf(guest).locator("p").nth(1)).toHaveText("Second line");

  // Both reach the owner, both drawn; the guest's upload is stored under the document too.
  await expect(imagesOf(page)).toHaveCount(2);
  await expect(imagesIn(editorOf(page).locator("p").nth(1))).toHaveCount(1);
  await expect.poll(() => allDrawn(page)).toBe(true);
  await expect.poll(() => allDrawn(guest)).toBe(true);
  await guestContext.close();
});

test("a refused file (an SVG, a file past 10 MiB) says why and inserts nothing", async ({ ownerPage: page, api }) => {
  const id = await createDocument(api, `Refused ${Date.now()}`);
  await openAsOwner(page, id);
  await editorOf(page).click();
  await page.keyboard.type("Nothing else here.");

  const error = page.getByTestId("image-upload-error");
  await page.getByTestId("image-upload-input").setInputFiles({ name: "logo.svg", mimeType: "image/svg+xml", buffer: Buffer.from(SVG_WITH_SCRIPT) });
  await expect(error).toContainText("Could not add logo.svg: SVG images are not accepted");
  await expect(error).toHaveAttribute("role", "alert");

  await page.getByTestId("image-upload-input").setInputFiles({ name: "huge.png", mimeType: "image/png", buffer: paddedPng(11 * 1024 * 1024) });
  await expect(error).toContainText("Could not add huge.png: The image is larger than 10 MiB", { timeout: 20_000 });

  // Dismissed, the error goes; nothing was inserted or stored in the document.
  await error.getByRole("button", { name: "Dismiss" }).click();
  await expect(error).toHaveCount(0);
  await expect(imagesOf(page)).toHaveCount(0);
  await expect(editorOf(page)).toHaveText("Nothing else here.");
  const stored = await api.get(`/api/documents/${id}/content?format=json`);
  expect(JSON.stringify(await stored.json())).not.toContain('"image"');
});
