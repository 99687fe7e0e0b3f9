// The admin area (/settings) in a real browser: invite a colleague with a link to copy, see
// them join, change their role, deactivate them (their open editor ends at once, sign-in is
// refused), revoke an invitation, and invite an unknown email from a document's Share dialog.
import { test, expect, createDocument, newContext, signUpState } from "./fixtures/test";
import type { Browser, Page } from "@playwright/test";

let invited = 0;
const invitedEmail = (name: string) => `${name}-${process.pid}-${Date.now()}-${++invited}@example.test`;

/** Opens an invitation link signed out and signs up through the form; returns the page. */
async function acceptInvitation(browser: Browser, baseURL: string, url: string, name: string): Promise<Page> {
  const page = await (await newContext(browser, baseURL, null)).newPage();
  await page.goto(url);
  await page.getByTestId("auth-name").fill(name);
  await page.getByTestId("auth-password").fill("correct horse battery");
  await page.getByTestId("auth-submit").click();
  await expect(page.getByTestId("account-name")).toHaveText(name);
  return page;
}

test("an admin invites a colleague, who joins with the link; the admin deactivates them and their editor ends", async ({ browser, baseURL, api, ownerPage }) => {
  await ownerPage.goto("/");
  await ownerPage.getByTestId("settings-link").click();
  await expect(ownerPage.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();

  const email = invitedEmail("colleague");
  await ownerPage.getByTestId("invite-email").fill(email);
  await ownerPage.getByTestId("invite-role").selectOption("editor");
  await ownerPage.getByTestId("invite-create").click();
  const link = ownerPage.getByTestId("invite-link");
  await expect(link).toHaveValue(new RegExp(`/sign-up\\?invite=.+&email=`));
  await expect(ownerPage.getByTestId("pending-invitation").filter({ hasText: email })).toBeVisible();

  const colleague = await acceptInvitation(browser, baseURL, await link.inputValue(), "Colleague");
  // The invitation's workspace role: every document, editable.
  const id = await createDocument(api, "All hands");
  await colleague.goto(`/d/${id}`);
  await expect(colleague.getByTestId("connection-status")).toHaveText("Connected");
  await expect(colleague.locator(".ProseMirror")).toHaveAttribute("contenteditable", "true");

  await ownerPage.reload();
  await expect(ownerPage.getByTestId("pending-invitation").filter({ hasText: email })).toHaveCount(0);
  const row = ownerPage.locator(`[data-testid="admin-member-row"][data-email="${email}"]`);
  await expect(row).toContainText("Colleague");
  await expect(row.getByTestId("workspace-role")).toHaveValue("editor");

  await row.getByTestId("deactivate").click();
  await expect(row).toContainText("Deactivated");
  await expect(colleague.getByTestId("connection-closed")).toBeVisible();

  const again = await (await newContext(browser, baseURL, null)).newPage();
  await again.goto("/sign-in");
  await again.getByTestId("auth-email").fill(email);
  await again.getByTestId("auth-password").fill("correct horse battery");
  await again.getByTestId("auth-submit").click();
  await expect(again.getByTestId("auth-error")).toContainText("deactivated");

  await row.getByTestId("reactivate").click();
  await expect(row).toContainText("Active");
  await again.getByTestId("auth-submit").click();
  await expect(again.getByTestId("account-name")).toHaveText("Colleague");
  await colleague.context().close();
  await again.context().close();
});

test("a revoked invitation leaves the pending list and its link says so and no longer brings its role", async ({ browser, baseURL, api, ownerPage }) => {
  await ownerPage.goto("/settings");
  const email = invitedEmail("revoked");
  await ownerPage.getByTestId("invite-email").fill(email);
  await ownerPage.getByTestId("invite-role").selectOption("viewer");
  await ownerPage.getByTestId("invite-create").click();
  const url = await ownerPage.getByTestId("invite-link").inputValue();
  const pending = ownerPage.getByTestId("pending-invitation").filter({ hasText: email });
  await pending.getByTestId("invite-revoke").click();
  await expect(pending).toHaveCount(0);

  // The link says it was revoked. Sign-up is open in the e2e app, so an account can still be
  // made without it, but without the revoked invitation's role: a workspace document stays
  // closed to it.
  const id = await createDocument(api, "Not for them");
  const late = await (await newContext(browser, baseURL, null)).newPage();
  await late.goto(url);
  await expect(late.getByTestId("invitation-problem")).toContainText("This invitation was revoked by an admin.");
  await late.getByRole("link", { name: "create an account without the invitation" }).click();
  await late.getByTestId("auth-name").fill("Late");
  await late.getByTestId("auth-email").fill(email);
  await late.getByTestId("auth-password").fill("correct horse battery");
  await late.getByTestId("auth-submit").click();
  await expect(late.getByTestId("account-name")).toHaveText("Late");
  await late.goto(`/d/${id}`);
  await expect(late.getByTestId("no-access")).toBeVisible();
  await late.context().close();
});

test("an admin invites an unknown email from the Share dialog; on sign-up they have the document", async ({ browser, baseURL, api, ownerPage }) => {
  const id = await createDocument(api, "Launch plan");
  await ownerPage.goto(`/d/${id}`);
  await ownerPage.getByTestId("share-button").click();
  const email = invitedEmail("newcomer");
  await ownerPage.getByTestId("member-email").fill(email);
  await ownerPage.getByTestId("member-role").selectOption("commenter");
  await ownerPage.getByTestId("member-add").click();
  await expect(ownerPage.getByTestId("invite-offer")).toContainText(email);
  await ownerPage.getByTestId("invite-to-document").click();
  const url = await ownerPage.getByTestId("document-invite-link").inputValue();

  const newcomer = await acceptInvitation(browser, baseURL, url, "Newcomer");
  await newcomer.goto("/");
  await newcomer.getByTestId("document-link").filter({ hasText: "Launch plan" }).click();
  await expect(newcomer.getByTestId("role-badge")).toHaveText("Can comment");
  await newcomer.context().close();
});

test("members who are not admins see no settings link and are refused the page", async ({ browser, baseURL }) => {
  const member = await signUpState(baseURL, "Plain member");
  const page = await (await newContext(browser, baseURL, member.state)).newPage();
  await page.goto("/");
  await expect(page.getByTestId("account-name")).toHaveText("Plain member");
  await expect(page.getByTestId("settings-link")).toHaveCount(0);
  await page.goto("/settings");
  await expect(page.getByTestId("settings-forbidden")).toBeVisible();
  await page.context().close();
});
