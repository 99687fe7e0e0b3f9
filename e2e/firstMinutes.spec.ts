// Small things a new user meets in the first minutes (issue 13's bug list): a read-only guest
// never sees a save state, an unknown address is not called a missing document, and a
// signed-out visitor to / learns what this is and how to get in.
import { test, expect, createDocument, createShareLink, newContext } from "./fixtures/test";

test("a view-link guest sees 'Can view' and no save state, ever", async ({ browser, baseURL, api }) => {
  const id = await createDocument(api, "Read-only notes");
  const link = await createShareLink(api, id, "viewer");
  const guest = await (await newContext(browser, baseURL, null)).newPage();
  await guest.goto(link);
  await guest.getByTestId("guest-name").fill("Reader");
  await guest.getByTestId("guest-continue").click();
  await expect(guest.getByTestId("connection-status")).toHaveText("Connected");
  await expect(guest.getByTestId("role-badge")).toHaveText("Can view");
  // Sampled for a while: "Saving…" used to stay for ever.
  for (let i = 0; i < 5; i++) {
    await expect(guest.getByTestId("save-status")).toHaveCount(0);
    await guest.waitForTimeout(500);
  }
  await guest.context().close();
});

test("an unknown address says the page does not exist, not that a document does not", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(page.locator("body")).not.toContainText("document does not exist");
});

test("a signed-out visitor to / sees what this is and how to get in, for open and invitation-only sign-up", async ({ browser, baseURL, api }) => {
  const visitor = await (await newContext(browser, baseURL, null)).newPage();
  await visitor.goto("/");
  await expect(visitor.getByTestId("landing")).toBeVisible();
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText("Documents, written together");
  await expect(visitor.getByRole("link", { name: "Create an account" })).toBeVisible();
  try {
    expect((await api.patch("/api/admin/settings", { data: { signup: "invite" } })).status()).toBe(200);
    await visitor.reload();
    await expect(visitor.getByTestId("landing-invitation")).toContainText("ask your admin for an invitation");
    await visitor.getByTestId("landing-sign-in").click();
    await expect(visitor).toHaveURL(/\/sign-in/);
  } finally {
    await api.patch("/api/admin/settings", { data: { signup: "open" } });
  }
  await visitor.context().close();
});
