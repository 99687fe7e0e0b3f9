// Mentions, the notification bell and attribution with two people in two browser contexts:
// sharing a document and mentioning someone raise their bell's count live, on whatever page
// they are, and the notification opens the document; hovering a paragraph names the person
// who wrote it, and the caret's paragraph is described in the footer for keyboard users.
import type { Page } from "@playwright/test";
import { createDocument, editorText, expect, newContext, signUpState, test } from "./fixtures/test.ts";
import { axeViolations } from "./fixtures/axe.ts";

const editorOf = (page: Page) => page.locator(".ProseMirror");

async function openDocument(page: Page, id: string): Promise<void> {
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await expect(page.getByTestId("editor")).toHaveAttribute("data-editable", "true");
}

test("a share and a mention raise the bell live, and the notification opens the document", async ({ browser, baseURL, api, ownerPage: ada }) => {
  const bea = await signUpState(baseURL, "Bea");
  const beaPage = await (await newContext(browser, baseURL, bea.state)).newPage();
  await beaPage.goto("/");
  const bell = beaPage.getByTestId("notification-bell");
  await expect(bell).toHaveAccessibleName("Notifications");
  await expect(beaPage.getByTestId("notification-count")).toHaveCount(0);

  const id = await createDocument(api, "Launch plan");
  const shared = await api.post(`/api/documents/${id}/members`, { data: { email: bea.email, role: "editor" } });
  expect(shared.status()).toBe(201);
  await expect(beaPage.getByTestId("notification-count")).toHaveText("1");
  await expect(bell).toHaveAccessibleName("Notifications, 1 unread");

  // Ada mentions Bea in the document: "@" suggests people who can open it.
  await openDocument(ada, id);
  await editorOf(ada).click();
  await ada.keyboard.type("Please review this, @Be");
  await expect(ada.getByTestId("mention-option").first()).toHaveText("Bea");
  await ada.keyboard.press("Enter");
  await expect(editorOf(ada).locator('span[data-type="mention"]')).toHaveText("@Bea");
  await expect(beaPage.getByTestId("notification-count")).toHaveText("2");

  await bell.click();
  const panel = beaPage.getByTestId("notification-panel");
  await expect(panel).toBeVisible();
  const items = panel.getByTestId("notification-item");
  await expect(items).toHaveCount(2);
  await expect(items.first()).toContainText("Ada mentioned you in “Launch plan”");
  await expect(items.first()).toContainText("Please review this, @Bea");
  await expect(items.nth(1)).toContainText("Ada shared with you “Launch plan”");
  for (const scheme of ["light", "dark"] as const) {
    await beaPage.emulateMedia({ colorScheme: scheme });
    expect(await axeViolations(beaPage), `notification panel with notifications (${scheme})`).toEqual([]);
  }
  await items.first().getByRole("link").click();
  await expect(beaPage).toHaveURL(new RegExp(`/d/${id}$`));
  await expect(beaPage.getByTestId("connection-status")).toHaveText("Connected");
  await expect(editorOf(beaPage).locator('span[data-type="mention"]')).toHaveText("@Bea");
  // Opening it marked it read.
  await expect(beaPage.getByTestId("notification-count")).toHaveText("1");
  await beaPage.context().close();
});

test("mentioning someone who cannot open the document offers the owner to share it", async ({ baseURL, api, ownerPage: ada }) => {
  await signUpState(baseURL, "Cyd");
  const id = await createDocument(api, "Private notes");
  await openDocument(ada, id);
  await editorOf(ada).click();
  await ada.keyboard.type("Ask @Cy");
  await expect(ada.getByTestId("mention-option").first()).toContainText("cannot open it");
  await ada.keyboard.press("Enter");
  const notice = ada.getByTestId("mention-access-notice");
  await expect(notice).toContainText("Cyd cannot open this document");
  await ada.getByTestId("mention-share-role").selectOption("commenter");
  await ada.getByTestId("mention-share").click();
  await expect(notice).toHaveCount(0);
  const members = (await (await api.get(`/api/documents/${id}/members`)).json()) as { members: { name: string; role: string }[] };
  expect(members.members.map((m) => [m.name, m.role])).toEqual([["Cyd", "commenter"]]);
});

test("hovering a paragraph names who wrote it; the caret's paragraph is described in the footer", async ({ browser, baseURL, api, ownerPage: ada }) => {
  const bea = await signUpState(baseURL, "Bex");
  const id = await createDocument(api, "Shared draft");
  expect((await api.post(`/api/documents/${id}/members`, { data: { email: bea.email, role: "editor" } })).status()).toBe(201);
  const beaPage = await (await newContext(browser, baseURL, bea.state)).newPage();
  await openDocument(ada, id);
  await openDocument(beaPage, id);

  await editorOf(ada).click();
  await ada.keyboard.type("Ada's opening line.");
  await ada.keyboard.press("Enter");
  await expect.poll(() => editorText(beaPage)).toContain("Ada's opening line.");
  await editorOf(beaPage).locator("p").last().click();
  await beaPage.keyboard.type("Bex added this paragraph.");
  await expect.poll(() => editorText(ada)).toContain("Bex added this paragraph.");

  const tip = ada.getByTestId("attribution-tip");
  await editorOf(ada).locator("p", { hasText: "Bex added this" }).hover();
  await expect(tip).toContainText("Written by Bex");
  await expect(tip).toContainText("last changed around");
  await editorOf(ada).locator("p", { hasText: "Ada's opening" }).hover();
  await expect(tip).toContainText("Written by Ada");
  await expect(tip).not.toContainText("Bex");

  // The keyboard: the caret's paragraph, in the footer.
  await editorOf(ada).locator("p", { hasText: "Bex added this" }).click();
  await expect(ada.getByTestId("attribution-status")).toContainText("Written by Bex");
  await ada.keyboard.press("ArrowUp");
  await expect(ada.getByTestId("attribution-status")).toContainText("Written by Ada");
  await beaPage.context().close();
});
