// axe (WCAG 2.2 A/AA rules) on every page and state a new user meets, in light and dark colour
// schemes: zero violations. Dialogs and menus are checked open. Rules are never disabled here.
import { test, expect, createDocument, createShareLink, newContext } from "./fixtures/test";
import { axeViolations } from "./fixtures/axe";
import type { Page } from "@playwright/test";

async function expectNoViolations(page: Page, what: string): Promise<void> {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await axeViolations(page), `${what} (${scheme})`).toEqual([]);
  }
}

test("signed-out pages: landing, sign-in, sign-up, forgot and reset password, not found", async ({ browser, baseURL }) => {
  const page = await (await newContext(browser, baseURL, null)).newPage();
  // (The forgot and reset forms themselves need email on: e2e/mail.spec.ts checks them.)
  const pages = [
    ["/", "landing"],
    ["/sign-in", "sign-in"],
    ["/sign-up", "sign-up"],
    ["/forgot-password", "forgot password without email"],
    ["/reset-password?token=not-a-live-token", "reset password, link not valid"],
    ["/no/such/page", "not found"],
  ] as const;
  for (const [path, what] of pages) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoViolations(page, what);
  }
  await page.context().close();
});

test("home (with documents), trash and settings", async ({ ownerPage: page, api }) => {
  await createDocument(api, "Accessible notes");
  for (const [path, what] of [["/", "home"], ["/trash", "trash"], ["/settings", "settings"]] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoViolations(page, what);
  }
  // The notification bell's panel, open (empty here; with notifications in e2e/mentions.spec.ts).
  await page.goto("/");
  await page.getByTestId("notification-bell").click();
  await expect(page.getByTestId("notification-panel")).toBeVisible();
  await expectNoViolations(page, "notification panel");
});

test("editor with content, the share dialog, and a read-only guest with the name form", async ({ browser, baseURL, api, ownerPage: page }) => {
  const id = await createDocument(api, "Accessible editor");
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await page.locator(".ProseMirror").click();
  await page.keyboard.type("Some text to check.");
  await expectNoViolations(page, "editor");
  // The comments sidebar open, with a thread, a reply box and the new-comment box.
  await page.keyboard.press("Shift+Home");
  await page.getByTestId("add-comment").click();
  await page.getByTestId("comment-new-text").fill("A first comment, see https://example.com");
  await page.getByTestId("comment-new-submit").click();
  await expect(page.getByTestId("comment-thread")).toHaveCount(1);
  await page.locator(".ProseMirror").click();
  await page.keyboard.press("Shift+Home");
  await page.getByTestId("add-comment").click();
  await expect(page.getByTestId("comment-new")).toBeVisible();
  await expectNoViolations(page, "comments sidebar");
  await page.getByTestId("toggle-comments").click();
  await page.getByTestId("share-button").click();
  await expect(page.getByTestId("share-dialog")).toBeVisible();
  await expectNoViolations(page, "share dialog");

  const link = await createShareLink(api, id, "viewer");
  const guest = await (await newContext(browser, baseURL, null)).newPage();
  await guest.goto(link);
  await expect(guest.getByTestId("guest-name")).toBeVisible();
  await expectNoViolations(guest, "guest name form");
  await guest.getByTestId("guest-name").fill("Reader");
  await guest.getByTestId("guest-continue").click();
  await expect(guest.getByTestId("connection-status")).toHaveText("Connected");
  await expectNoViolations(guest, "read-only editor");
  await guest.context().close();
});

test("the version history panel, open on a version with its changes marked", async ({ api, ownerPage: page }) => {
  const id = await createDocument(api, "Accessible history");
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await page.getByTestId("editor").locator(".ProseMirror").click();
  await page.keyboard.type("A first sentence.");
  await page.getByTestId("history-open").click();
  await page.getByTestId("history-save-name").fill("First");
  await page.getByTestId("history-save").click();
  await expect(page.getByTestId("history-entry")).toHaveCount(1);
  await page.getByTestId("history-close").click();
  await page.getByTestId("editor").locator(".ProseMirror").click();
  await page.keyboard.press("ControlOrMeta+Home");
  await page.keyboard.press("Shift+End");
  await page.keyboard.type("Another sentence.");
  await page.getByTestId("history-open").click();
  await page.getByTestId("history-save-name").fill("Second");
  await page.getByTestId("history-save").click();
  await expect(page.getByTestId("history-entry")).toHaveCount(2);
  await page.getByTestId("history-entry").first().click();
  await expect(page.getByTestId("history-preview-content").locator("ins")).toBeVisible();
  await expect(page.getByTestId("history-preview-content").locator("del")).toBeVisible();
  await expectNoViolations(page, "history panel with a diff");
});
