// Accounts and share links as people use them: sign up, create a document, share a view link
// and an edit link from the share dialog, guests open them in other browsers, and revoking
// the edit link takes the guest's ability to type away at once.

import type { Browser, Page } from "@playwright/test";
import { createDocument, expect, newContext, signUpState, test } from "./fixtures/test.ts";

const editorOf = (page: Page) => page.locator(".ProseMirror");

async function openLinkAsGuest(browser: Browser, url: string, name: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId("guest-name").fill(name);
  await page.getByTestId("guest-continue").click();
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await expect(page.getByTestId("editor")).toHaveAttribute("data-synced", "true");
  return page;
}

async function createLinkInDialog(page: Page, role: "viewer" | "editor"): Promise<string> {
  await page.getByTestId("share-role").selectOption(role);
  const url = page.getByTestId("share-url");
  const previous = (await url.count()) > 0 ? await url.inputValue() : "";
  await page.getByTestId("share-create").click();
  await expect(url).not.toHaveValue(previous);
  await expect(url).toHaveValue(/\/d\/[^?]+\?token=[A-Za-z0-9_-]{43}$/);
  return url.inputValue();
}

test("owner signs up and shares view and edit links; revoking the edit link stops the guest typing", async ({ browser, baseURL }) => {
  // A newcomer signs up from the landing page (the workspace has its admin already: the
  // owner fixture's first account), where sign-up is open in the e2e app.
  const ownerContext = await browser.newContext({ baseURL });
  const owner = await ownerContext.newPage();
  await owner.goto("/");
  await owner.getByRole("link", { name: "Create an account" }).click();
  await owner.getByTestId("auth-name").fill("Olivia");
  await owner.getByTestId("auth-email").fill(`olivia-${Date.now()}@example.test`);
  await owner.getByTestId("auth-password").fill("a long enough password");
  await owner.getByTestId("auth-submit").click();
  await expect(owner.getByTestId("account-name")).toHaveText("Olivia");

  await owner.getByTestId("new-document").click();
  await expect(owner).toHaveURL(/\/d\/[A-Za-z0-9_-]+$/);
  await expect(owner.getByTestId("connection-status")).toHaveText("Connected");
  await expect(editorOf(owner)).toHaveAttribute("contenteditable", "true");
  await editorOf(owner).click();
  await owner.keyboard.type("Written by the owner.");

  await owner.getByTestId("share-button").click();
  const viewUrl = await createLinkInDialog(owner, "viewer");
  const editUrl = await createLinkInDialog(owner, "editor");
  await expect(owner.getByTestId("share-link-row")).toHaveCount(2);

  // The view link: a read-only editor that still shows live changes.
  const viewer = await openLinkAsGuest(browser, viewUrl, "Vera");
  await expect(editorOf(viewer)).toContainText("Written by the owner.");
  await expect(editorOf(viewer)).toHaveAttribute("contenteditable", "false");
  await expect(viewer.getByTestId("role-badge")).toHaveText("Can view");
  await expect(viewer.getByTestId("document-title")).toHaveAttribute("readonly", "");
  await owner.getByTestId("share-close").click();
  await editorOf(owner).click();
  await owner.keyboard.press("ControlOrMeta+End");
  await owner.keyboard.type(" Live for the viewer.");
  await expect(editorOf(viewer)).toContainText("Live for the viewer.");
  // Typing into the read-only editor changes nothing anywhere.
  await editorOf(viewer).click();
  await viewer.keyboard.type("viewer typing");
  await expect(editorOf(viewer)).not.toContainText("viewer typing");

  // The edit link: the guest types, the owner and the viewer see it, with the guest's name.
  const guest = await openLinkAsGuest(browser, editUrl, "Eddie");
  await expect(editorOf(guest)).toHaveAttribute("contenteditable", "true");
  await editorOf(guest).click();
  await guest.keyboard.press("ControlOrMeta+End");
  await guest.keyboard.type(" Eddie was here.");
  await expect(editorOf(owner)).toContainText("Eddie was here.");
  await expect(editorOf(viewer)).toContainText("Eddie was here.");
  await expect(owner.getByTestId("presence")).toContainText("Eddie (guest)");
  await expect(owner.getByTestId("presence")).toContainText("Vera (guest)");

  // The owner revokes the edit link: the guest's editor turns read-only and says why.
  await owner.getByTestId("share-button").click();
  await owner.locator('[data-testid="share-link-row"][data-role="editor"]').getByTestId("share-revoke").click();
  await expect(owner.locator('[data-testid="share-link-row"][data-role="editor"]')).toHaveAttribute("data-live", "false");
  await expect(guest.getByTestId("connection-closed")).toContainText("no longer have access");
  await expect(editorOf(guest)).toHaveAttribute("contenteditable", "false");
  await guest.keyboard.type(" after revocation");
  await owner.waitForTimeout(500);
  await expect(editorOf(owner)).not.toContainText("after revocation");
  // Reopening the revoked link does not get back in; the view link still works.
  await guest.reload();
  await expect(guest.getByTestId("link-invalid")).toBeVisible();
  await expect(viewer.getByTestId("connection-status")).toHaveText("Connected");

  for (const page of [owner, viewer, guest]) await page.context().close();
});

test("signed-out visitors and other accounts cannot open a document", async ({ browser, baseURL, api }) => {
  const created = await api.post("/api/documents", { data: { title: "Private" } });
  const { id } = (await created.json()) as { id: string };
  const anonymous = await (await browser.newContext({ baseURL })).newPage();
  await anonymous.goto(`/d/${id}`);
  await expect(anonymous).toHaveURL(/\/sign-in\?next=/);
  // The API refuses too.
  expect((await anonymous.request.get(`/api/documents/${id}`)).status()).toBe(401);
  // A signed-in request sent from another origin (a page elsewhere riding on the cookie) is refused.
  const crossOrigin = await api.post("/api/documents", { data: {}, headers: { origin: "https://evil.example" } });
  expect(crossOrigin.status()).toBe(403);
  const crossRename = await api.patch(`/api/documents/${id}`, { data: { title: "Hijacked" }, headers: { origin: "https://evil.example" } });
  expect(crossRename.status()).toBe(403);
  await anonymous.context().close();
});

test("owner grants a teammate a role by email; removing it closes their editor", async ({ browser, baseURL, api, ownerPage }) => {
  const id = await createDocument(api, "Team notes");
  const teammate = await signUpState(baseURL, "Tess");
  const tess = await (await newContext(browser, baseURL, teammate.state)).newPage();
  await tess.goto(`/d/${id}`);
  await expect(tess.getByTestId("no-access")).toBeVisible();

  await ownerPage.goto(`/d/${id}`);
  await ownerPage.getByTestId("share-button").click();
  await ownerPage.getByTestId("member-email").fill(teammate.email);
  await ownerPage.getByTestId("member-role").selectOption("viewer");
  await ownerPage.getByTestId("member-add").click();
  await expect(ownerPage.getByTestId("member-row")).toContainText("Tess");

  // Tess now finds it in her list and opens it read-only.
  await tess.goto("/");
  await tess.getByTestId("document-link").filter({ hasText: "Team notes" }).click();
  await expect(tess.getByTestId("connection-status")).toHaveText("Connected");
  await expect(tess.getByTestId("role-badge")).toHaveText("Can view");
  await expect(tess.locator(".ProseMirror")).toHaveAttribute("contenteditable", "false");
  await expect(ownerPage.getByTestId("presence")).toContainText("Tess");

  await ownerPage.getByTestId("member-remove").click();
  await expect(tess.getByTestId("connection-closed")).toContainText("no longer have access");
  await tess.context().close();
});

test("lowering a teammate's role through the members API closes their editor; they come back read-only", async ({ browser, baseURL, api }) => {
  const id = await createDocument(api, "Lowered");
  const teammate = await signUpState(baseURL, "Lou");
  const grant = async (role: "editor" | "viewer") => {
    const response = await api.post(`/api/documents/${id}/members`, { data: { email: teammate.email, role } });
    expect(response.status()).toBe(201);
  };
  await grant("editor");
  const lou = await (await newContext(browser, baseURL, teammate.state)).newPage();
  await lou.goto(`/d/${id}`);
  await expect(lou.getByTestId("connection-status")).toHaveText("Connected");
  await expect(lou.locator(".ProseMirror")).toHaveAttribute("contenteditable", "true");

  const lowered = Date.now();
  await grant("viewer");
  await expect(lou.getByTestId("connection-closed")).toBeVisible({ timeout: 2_000 });
  console.log(`[sharing] role lowered → editor closed in ${Date.now() - lowered} ms`);

  await lou.goto(`/d/${id}`);
  await expect(lou.getByTestId("connection-status")).toHaveText("Connected");
  await expect(lou.getByTestId("role-badge")).toHaveText("Can view");
  await expect(lou.locator(".ProseMirror")).toHaveAttribute("contenteditable", "false");
  await lou.context().close();
});
