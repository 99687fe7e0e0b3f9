// Trash as people use it (issue 12): the owner moves a document to Trash from the home list
// while someone has it open through a link (their editor says it went to the Trash and stops
// taking edits), finds it in the Trash view and restores it; from the editor's header a
// document goes to Trash and is then deleted forever, after a confirmation that can be cancelled.
import type { Page } from "@playwright/test";
import { createDocument, createShareLink, expect, test } from "./fixtures/test.ts";

const editorOf = (page: Page) => page.locator(".ProseMirror");

test("delete from the list closes an open editor with the Trash message; the Trash view restores it", async ({ ownerPage: page, api, browser }) => {
  const title = `Trash me ${Date.now()}`;
  const id = await createDocument(api, title);
  const editUrl = await createShareLink(api, id, "editor");

  // A guest has it open through an edit link.
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await guest.goto(editUrl);
  await guest.getByTestId("guest-name").fill("Gus");
  await guest.getByTestId("guest-continue").click();
  await expect(guest.getByTestId("connection-status")).toHaveText("Connected");
  await expect(editorOf(guest)).toHaveAttribute("contenteditable", "true");
  await editorOf(guest).click();
  await guest.keyboard.type("Typed before the Trash.");
  await expect(guest.getByTestId("save-status")).toHaveText("Saved");

  // The owner moves it to Trash from the home list.
  await page.goto("/");
  const row = page.locator(`li[data-document-id="${id}"]`);
  await expect(row.getByTestId("document-link")).toContainText(title);
  await row.getByTestId("document-trash").click();
  await expect(row).toHaveCount(0);

  // The guest's editor says so at once and stops taking edits.
  await expect(guest.getByTestId("connection-closed")).toContainText("moved to the Trash", { timeout: 2_000 });
  await expect(editorOf(guest)).toHaveAttribute("contenteditable", "false");
  // The link no longer opens it.
  await guest.goto(editUrl);
  await expect(guest.getByTestId("document-trashed")).toBeVisible();

  // The Trash view lists it; Restore brings it back to the list, with its content.
  await page.getByTestId("trash-link").click();
  await expect(page).toHaveURL(/\/trash$/);
  const item = page.locator(`[data-testid="trash-item"][data-document-id="${id}"]`);
  await expect(item.getByTestId("trash-title")).toHaveText(title);
  await item.getByTestId("trash-restore").click();
  await expect(item).toHaveCount(0);
  await page.getByTestId("trash-back").click();
  await expect(page.locator(`li[data-document-id="${id}"]`).getByTestId("document-link")).toContainText(title);
  await page.locator(`li[data-document-id="${id}"]`).getByTestId("document-link").click();
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await expect(editorOf(page)).toContainText("Typed before the Trash.");
  await guestContext.close();
});

test("from the editor's header to Trash, then deleted forever after a confirmation", async ({ ownerPage: page, api }) => {
  const title = `Delete forever ${Date.now()}`;
  const id = await createDocument(api, title);
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await page.getByTestId("editor-trash").click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator(`li[data-document-id="${id}"]`)).toHaveCount(0);

  // Opening it while it is in Trash says where it is.
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("document-trashed")).toContainText("in the Trash");

  await page.goto("/trash");
  const item = page.locator(`[data-testid="trash-item"][data-document-id="${id}"]`);
  await item.getByTestId("trash-delete-forever").click();
  await expect(item.getByTestId("trash-confirm")).toBeVisible();
  await item.getByTestId("trash-cancel-delete").click();
  await expect(item.getByTestId("trash-confirm")).toHaveCount(0);
  await expect(item).toHaveCount(1);
  await item.getByTestId("trash-delete-forever").click();
  await item.getByTestId("trash-confirm-delete").click();
  await expect(item).toHaveCount(0);

  // Gone for good: not in Trash, not openable.
  const trashList = await api.get("/api/documents?trash=1");
  expect(((await trashList.json()) as { documents: { id: string }[] }).documents.some((d) => d.id === id)).toBe(false);
  expect((await api.get(`/api/documents/${id}`)).status()).toBe(403);
});

test("an editor that was offline when its document went to the Trash says so when it comes back", async ({ api, browser }) => {
  const id = await createDocument(api, `Trashed while away ${Date.now()}`);
  const editUrl = await createShareLink(api, id, "editor");
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await guest.goto(editUrl);
  await guest.getByTestId("guest-name").fill("Olga");
  await guest.getByTestId("guest-continue").click();
  await expect(guest.getByTestId("connection-status")).toHaveText("Connected");

  await guestContext.setOffline(true);
  await expect(guest.getByTestId("connection-status")).toHaveText("Offline");
  expect((await api.delete(`/api/documents/${id}`)).status()).toBe(200);
  // Back online, the socket is refused at the upgrade (no close code reaches the page): the
  // page learns why from the API and stops retrying.
  await guestContext.setOffline(false);
  await expect(guest.getByTestId("connection-closed")).toContainText("moved to the Trash");
  await expect(editorOf(guest)).toHaveAttribute("contenteditable", "false");
  await guestContext.close();
});
