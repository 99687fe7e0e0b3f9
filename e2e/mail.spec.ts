// Email in a real browser, with a real SMTP server in this process (server/testing/smtpInbox.ts)
// that the app (started with SMTP_URL pointing at it) mails through: forgot password → the
// mailed link → a new password → signed in; an admin invites by email → the mail arrives → the
// invitee accepts. axe checks the new pages in the states only email brings.
import { test as base, expect, newContext, signUpState } from "./fixtures/test";
import { axeViolations } from "./fixtures/axe";
import { linkIn, startSmtpInbox, type SmtpInbox } from "../server/testing/smtpInbox";
import type { Page } from "@playwright/test";

const test = base.extend<object, { inbox: SmtpInbox }>({
  inbox: [
    async ({}, use) => {
      const inbox = await startSmtpInbox();
      await use(inbox);
      await inbox.close();
    },
    { scope: "worker" },
  ],
  // This spec's app server mails through the inbox above (other specs' apps have email off).
  appEnv: [async ({ inbox }, use) => use({ SMTP_URL: inbox.url, MAIL_FROM: "Collab <docs@example.test>" }), { scope: "worker" }],
});

async function expectNoViolations(page: Page, what: string): Promise<void> {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await axeViolations(page), `${what} (${scheme})`).toEqual([]);
  }
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByTestId("auth-email").fill(email);
  await page.getByTestId("auth-password").fill(password);
  await page.getByTestId("auth-submit").click();
}

test("forgot password: the mailed link opens a page that sets a new password and signs in", async ({ browser, baseURL, inbox }) => {
  const { email } = await signUpState(baseURL, "Rita");
  const page = await (await newContext(browser, baseURL, null)).newPage();
  await page.goto("/sign-in");
  await page.getByTestId("forgot-link").click();
  await expect(page.getByRole("heading", { name: "Forgot your password?", level: 1 })).toBeVisible();
  await expectNoViolations(page, "forgot password form");
  await page.getByTestId("forgot-email").fill(email);
  await page.getByTestId("forgot-submit").click();
  await expect(page.getByTestId("forgot-sent")).toContainText(`If an account has the email ${email}`);

  const mail = await inbox.mailTo(email);
  expect(mail.subject).toBe("Reset your Collab password");
  const link = linkIn(mail, "/reset-password");
  await page.goto(link.href);
  await expect(page.getByTestId("reset-email")).toHaveText(email);
  await expectNoViolations(page, "reset password form");
  await page.getByTestId("reset-password").fill("my new password");
  await page.getByTestId("reset-confirm").fill("not the same one");
  await page.getByTestId("reset-submit").click();
  await expect(page.getByTestId("reset-error")).toHaveText("The two passwords are not the same.");
  await page.getByTestId("reset-confirm").fill("my new password");
  await page.getByTestId("reset-submit").click();
  await expect(page.getByTestId("account-name")).toHaveText("Rita");

  // The link worked once.
  await page.goto(link.href);
  await expect(page.getByTestId("reset-invalid")).toContainText("already used");

  const other = await (await newContext(browser, baseURL, null)).newPage();
  await signIn(other, email, "correct horse battery");
  await expect(other.getByTestId("auth-error")).toBeVisible();
  await signIn(other, email, "my new password");
  await expect(other.getByTestId("account-name")).toHaveText("Rita");
  await other.context().close();
  await page.context().close();
});

test("an admin invites by email: the mail arrives and the invitee accepts with its link", async ({ browser, baseURL, inbox, ownerPage }) => {
  const email = `mailed-${process.pid}-${Date.now()}@example.test`;
  await ownerPage.goto("/settings");
  await expect(ownerPage.getByTestId("mail-on")).toContainText("docs@example.test");
  await ownerPage.getByTestId("invite-email").fill(email);
  await ownerPage.getByTestId("invite-role").selectOption("commenter");
  await ownerPage.getByTestId("invite-create").click();
  await expect(ownerPage.getByTestId("invite-link-sent")).toHaveText(`Invitation sent to ${email}.`);
  await expect(ownerPage.getByTestId("invite-link")).toHaveCount(0);
  await expectNoViolations(ownerPage, "settings with email on");

  const mail = await inbox.mailTo(email);
  expect(mail.subject).toBe("Ada invited you to Collab");
  const invitee = await (await newContext(browser, baseURL, null)).newPage();
  await invitee.goto(linkIn(mail, "/sign-up").href);
  await expect(invitee.getByTestId("auth-email")).toHaveValue(email);
  await invitee.getByTestId("auth-name").fill("Mailed");
  await invitee.getByTestId("auth-password").fill("correct horse battery");
  await invitee.getByTestId("auth-submit").click();
  await expect(invitee.getByTestId("account-name")).toHaveText("Mailed");

  await ownerPage.reload();
  await expect(ownerPage.locator(`[data-testid="admin-member-row"][data-email="${email}"]`)).toContainText("Mailed");
  await expect(ownerPage.getByTestId("pending-invitation").filter({ hasText: email })).toHaveCount(0);

  // The same link again: it says it was used, and how to get in.
  const again = await (await newContext(browser, baseURL, null)).newPage();
  await again.goto(linkIn(mail, "/sign-up").href);
  await expect(again.getByTestId("invitation-problem")).toContainText("already been used");
  await again.context().close();
  await invitee.context().close();
});
