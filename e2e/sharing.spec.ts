// Accounts and share links as people use them: sign up, create a document, share a view link
// and an edit link from the share dialog, guests open them in other browsers, and revoking
// the edit link takes the guest's ability to type away at once. A teammate's role lowered or
// raised while they have the document open switches their editor live, without a reload
// (issue 13, bug 2), and edits that arrive too late are named, never shown as saved.

import type { APIRequestContext, Browser, Page } from "@playwright/test";
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

/** Gives `email` a role on the document through the members API (what the Share dialog calls). */
function memberGranter(api: APIRequestContext, id: string, email: string): (role: "editor" | "viewer") => Promise<void> {
  return async (role) => {
    const response = await api.post(`/api/documents/${id}/members`, { data: { email, role } });
    expect(response.status()).toBe(201);
  };
}

/** A page that was not reloaded since this was called still has the mark. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
}
async function expectNotReloaded(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
}

/** The caret as text offsets: the text of the block it is in, and its offset there. */
function caretOf(page: Page): Promise<{ block: string; offset: number } | null> {
  return page.evaluate(() => {
    const selection = window.getSelection();
    const node = selection?.anchorNode;
    const block = node?.parentElement?.closest(".ProseMirror > *");
    return node && block ? { block: block.textContent ?? "", offset: selection.anchorOffset } : null;
  });
}

test("lowering a teammate's role through the members API turns their open editor read-only live, caret and scroll kept; raising it back makes it editable", async ({ browser, baseURL, api }) => {
  const id = await createDocument(api, "Lowered");
  // Long enough to scroll.
  const paragraphs = Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1} of the notes.`);
  expect((await api.put(`/api/documents/${id}/content`, { data: paragraphs.join("\n\n"), headers: { "content-type": "text/markdown" } })).status()).toBe(200);
  const teammate = await signUpState(baseURL, "Lou");
  const grant = memberGranter(api, id, teammate.email);
  await grant("editor");
  const lou = await (await newContext(browser, baseURL, teammate.state)).newPage();
  await lou.setViewportSize({ width: 1000, height: 600 });
  await lou.goto(`/d/${id}`);
  await expect(lou.getByTestId("connection-status")).toHaveText("Connected");
  await expect(editorOf(lou)).toHaveAttribute("contenteditable", "true");
  await expect(lou.getByTestId("save-status")).toBeVisible();
  // Lou's caret in paragraph 40, after "Paragraph 40", and that paragraph scrolled into view.
  const target = editorOf(lou).locator("p", { hasText: "Paragraph 40 of" });
  await target.scrollIntoViewIfNeeded();
  await target.click();
  await lou.keyboard.press("Home");
  for (let i = 0; i < "Paragraph 40".length; i++) await lou.keyboard.press("ArrowRight");
  const caret = await caretOf(lou);
  expect(caret).toEqual({ block: "Paragraph 40 of the notes.", offset: "Paragraph 40".length });
  const scrollY = await lou.evaluate(() => window.scrollY);
  expect(scrollY).toBeGreaterThan(0);
  await markPage(lou);

  const lowered = Date.now();
  await grant("viewer");
  await expect(editorOf(lou)).toHaveAttribute("contenteditable", "false", { timeout: 2_000 });
  console.log(`[sharing] role lowered → editor read-only in ${Date.now() - lowered} ms`);
  await expect(lou.getByTestId("role-changed")).toHaveText(/You can now only view this document\./);
  await expect(lou.getByTestId("role-changed")).not.toContainText("not saved");
  // Screen readers hear it once, from the page's live region.
  await expect(lou.getByTestId("live-announcer")).toHaveText("You can now only read this document.");
  await expect(lou.getByTestId("role-badge")).toHaveText("Can view");
  await expect(lou.getByTestId("document-title")).toHaveAttribute("readonly", "");
  // Still connected, no access-lost message, no save state, and the same page, caret and scroll.
  await expect(lou.getByTestId("connection-status")).toHaveText("Connected");
  await expect(lou.getByTestId("connection-closed")).toHaveCount(0);
  await expect(lou.getByTestId("save-status")).toHaveCount(0);
  await expectNotReloaded(lou);
  expect(await caretOf(lou)).toEqual(caret);
  expect(await lou.evaluate(() => window.scrollY)).toBe(scrollY);
  // Typing changes nothing now.
  await lou.keyboard.type("viewer typing");
  await expect(editorOf(lou)).not.toContainText("viewer typing");

  // Raised back: editable again, at once, on the same page.
  await grant("editor");
  await expect(editorOf(lou)).toHaveAttribute("contenteditable", "true", { timeout: 2_000 });
  await expect(lou.getByTestId("role-changed")).toHaveText(/You can now edit this document\./);
  await expect(lou.getByTestId("role-badge")).toHaveCount(0);
  await expect(lou.getByTestId("document-title")).not.toHaveAttribute("readonly", "");
  await expectNotReloaded(lou);
  await target.click();
  await lou.keyboard.press("End");
  await lou.keyboard.type(" Edited again.");
  await expect(lou.getByTestId("save-status")).toHaveText("Saved");
  const content = await api.get(`/api/documents/${id}/content?format=markdown`);
  expect(await content.text()).toContain("Paragraph 40 of the notes. Edited again.");
  await lou.getByTestId("role-changed-dismiss").click();
  await expect(lou.getByTestId("role-changed")).toHaveCount(0);
  await lou.context().close();
});

test("changing a teammate's role in the Share dialog switches their open editor and title live, both ways", async ({ browser, baseURL, api, ownerPage }) => {
  const id = await createDocument(api, "Dialog roles");
  const teammate = await signUpState(baseURL, "Tim");
  await ownerPage.goto(`/d/${id}`);
  await ownerPage.getByTestId("share-button").click();
  await ownerPage.getByTestId("member-email").fill(teammate.email);
  await ownerPage.getByTestId("member-role").selectOption("editor");
  await ownerPage.getByTestId("member-add").click();
  await expect(ownerPage.getByTestId("member-row")).toContainText("Tim");

  const tim = await (await newContext(browser, baseURL, teammate.state)).newPage();
  await tim.goto(`/d/${id}`);
  await expect(editorOf(tim)).toHaveAttribute("contenteditable", "true");
  await editorOf(tim).click();
  await tim.keyboard.type("Tim writes.");
  await expect(tim.getByTestId("save-status")).toHaveText("Saved");
  await markPage(tim);

  await ownerPage.getByRole("combobox", { name: "Role of Tim" }).selectOption("viewer");
  await expect(editorOf(tim)).toHaveAttribute("contenteditable", "false");
  await expect(tim.getByTestId("role-changed")).toHaveText(/You can now only view this document\./);
  await expect(tim.getByTestId("document-title")).toHaveAttribute("readonly", "");
  await expect(tim.getByTestId("connection-closed")).toHaveCount(0);
  await expect(tim.getByTestId("save-status")).toHaveCount(0);
  await expect(tim.getByTestId("connection-status")).toHaveText("Connected");
  await expect(editorOf(tim)).toContainText("Tim writes.");

  await ownerPage.getByRole("combobox", { name: "Role of Tim" }).selectOption("editor");
  await expect(editorOf(tim)).toHaveAttribute("contenteditable", "true");
  await expect(tim.getByTestId("role-changed")).toHaveText(/You can now edit this document\./);
  await expect(tim.getByTestId("document-title")).not.toHaveAttribute("readonly", "");
  await expectNotReloaded(tim);
  await tim.context().close();
});

test("edits that reach the server after the role was lowered are refused, named in the notice, never shown as saved", async ({ browser, baseURL, api }) => {
  const id = await createDocument(api, "Late edits");
  const teammate = await signUpState(baseURL, "Lea");
  const grant = memberGranter(api, id, teammate.email);
  await grant("editor");
  const lea = await (await newContext(browser, baseURL, teammate.state)).newPage();
  // Lea's frames to the server are passed on, except while `holding`: then they wait, as on a
  // slow network, so the ones typed just before the role change arrive after it.
  let holding = false;
  const held: (() => void)[] = [];
  await lea.routeWebSocket(/\/collab\//, (socket) => {
    const server = socket.connectToServer();
    socket.onMessage((message) => (holding ? held.push(() => server.send(message)) : server.send(message)));
  });
  await lea.goto(`/d/${id}`);
  await expect(lea.getByTestId("connection-status")).toHaveText("Connected");
  await expect(editorOf(lea)).toHaveAttribute("contenteditable", "true");
  await editorOf(lea).click();
  await lea.keyboard.type("Saved words.");
  await expect(lea.getByTestId("save-status")).toHaveText("Saved");
  await markPage(lea);

  holding = true;
  await lea.keyboard.press("Enter");
  await lea.keyboard.type("Late words");
  await expect(editorOf(lea)).toContainText("Late words");
  await expect(lea.getByTestId("save-status")).not.toHaveText("Saved");
  await grant("viewer");
  await expect(lea.getByTestId("role-changed")).toContainText("You can now only view this document.");
  // The held frames go on to the server on their socket (already closed, if the page has
  // started over from the server's copy: then they never arrive, as on a dropped connection).
  holding = false;
  for (const send of held.splice(0)) {
    try {
      send();
    } catch {
      // that socket is closed
    }
  }

  await expect(lea.getByTestId("role-changed")).toContainText("Your last changes were not saved");
  await expect(lea.getByTestId("role-changed")).toContainText("Late words");
  await expect(lea.getByTestId("live-announcer")).toContainText("Your last changes were not saved");
  await expect(editorOf(lea)).toHaveAttribute("contenteditable", "false");
  // What is on screen is the document as saved, for Lea too: the refused words are gone from
  // her editor (the notice quotes them) and from this device's copy.
  await expect(editorOf(lea)).toContainText("Saved words.");
  await expect(editorOf(lea)).not.toContainText("Late words");
  await expect(lea.getByTestId("save-status")).toHaveCount(0);
  await expect(lea.getByTestId("connection-closed")).toHaveCount(0);
  await expectNotReloaded(lea);
  const content = await (await api.get(`/api/documents/${id}/content?format=markdown`)).text();
  expect(content).toContain("Saved words.");
  expect(content).not.toContain("Late words");
  await lea.reload();
  await expect(lea.getByTestId("editor")).toHaveAttribute("data-synced", "true");
  await expect(editorOf(lea)).toContainText("Saved words.");
  await expect(editorOf(lea)).not.toContainText("Late words");
  await lea.context().close();
});
