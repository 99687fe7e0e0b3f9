// Small things a new user meets in the first minutes (issue 13's bug list): a read-only guest
// never sees a save state (bug 1), an unknown address is not called a missing document (7), a
// signed-out visitor to / learns what this is and how to get in (10), clearing the title leaves
// no error (4), one save state (8), a revoked guest's title is read-only (5). Bug 6 is in
// offline.spec.ts.
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

test("clearing the title and pressing Enter leaves no error behind; the title shows 'Untitled' as its placeholder", async ({ ownerPage: page, api }) => {
  const id = await createDocument(api, "To be cleared");
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  const title = page.getByTestId("document-title");
  await expect(title).toHaveValue("To be cleared");
  await title.fill("");
  await title.press("Enter");
  await expect(title).toHaveValue("");
  await expect(title).toHaveAttribute("placeholder", "Untitled");
  await expect(page.getByText("Title must not be empty.")).toHaveCount(0);
});

test("one save state for the document: the title and the text share the single badge", async ({ ownerPage: page, api }) => {
  const id = await createDocument(api, "One badge");
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await page.getByTestId("document-title").fill("One badge, renamed");
  await page.locator(".ProseMirror").click();
  await page.keyboard.type("Body text.");
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  await expect(page.getByText("Saved", { exact: true })).toHaveCount(1);
});

test("after an edit link is revoked the guest's title turns read-only, and no 'Sign in first' appears", async ({ browser, baseURL, api }) => {
  const id = await createDocument(api, "Revoked guest");
  const created = await api.post(`/api/documents/${id}/links`, { data: { role: "editor" } });
  const { url, link } = (await created.json()) as { url: string; link: { id: string } };
  const guest = await (await newContext(browser, baseURL, null)).newPage();
  await guest.goto(url);
  await guest.getByTestId("guest-name").fill("Gus");
  await guest.getByTestId("guest-continue").click();
  await expect(guest.getByTestId("connection-status")).toHaveText("Connected");
  const title = guest.getByTestId("document-title");
  await expect(title).not.toHaveAttribute("readonly", "");
  expect((await api.delete(`/api/documents/${id}/links/${link.id}`)).status()).toBeLessThan(300);
  await expect(guest.getByTestId("connection-closed")).toBeVisible();
  await expect(title).toHaveAttribute("readonly", "");
  await expect(guest.getByText("Sign in first")).toHaveCount(0);
  await guest.context().close();
});
