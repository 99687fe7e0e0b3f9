// Search and the document list on the home page (issue 12): "/" focuses the search box, results
// appear as one types with the matches marked, the keyboard opens one; an empty state; the
// list sorted by title and filtered to "Owned by me" / "Shared with me", with owners shown.
import AxeBuilder from "@axe-core/playwright";
import { createDocument, expect, newContext, signUpState, test } from "./fixtures/test.ts";

test("type in the search box, see the marked result, open it with the keyboard", async ({ ownerPage: page, api }) => {
  const word = `Quasar${Date.now().toString(36)}`;
  const id = await createDocument(api, `${word} roadmap`);
  await createDocument(api, `Unrelated ${Date.now()}`);
  await page.goto("/");

  // "/" outside a text field focuses the box; the placeholder tells the shortcuts.
  const input = page.getByTestId("search-input");
  await expect(input).toHaveAttribute("placeholder", /press \/ or Ctrl\+Shift\+F/);
  await page.locator("body").press("/");
  await expect(input).toBeFocused();
  await expect(input).toHaveValue("");

  // The last word is a prefix: part of the word already finds it, the match marked.
  await page.keyboard.type(word.slice(0, 7).toLowerCase());
  const result = page.getByTestId("search-result");
  await expect(result).toHaveCount(1);
  await expect(result.locator("mark")).toHaveText(word);
  await expect(result).toHaveAttribute("href", `/d/${id}`);

  // ArrowDown to the result, Enter opens it.
  await page.keyboard.press("ArrowDown");
  await expect(result).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/d/${id}$`));
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
});

test("Ctrl+Shift+F focuses the box; nothing found says so; Escape clears", async ({ ownerPage: page }) => {
  await page.goto("/");
  const input = page.getByTestId("search-input");
  // The shortcut's listener is added when the page hydrates: a key pressed before that reaches
  // nothing (seen once in CI on a loaded machine), so press until the box has the focus.
  await expect(async () => {
    await page.keyboard.press("Control+Shift+F");
    await expect(input).toBeFocused({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await page.keyboard.type("zzqxnothingmatches");
  await expect(page.getByTestId("search-empty")).toHaveText("No documents match “zzqxnothingmatches”.");
  await page.keyboard.press("Escape");
  await expect(input).toHaveValue("");
  await expect(page.getByTestId("search-empty")).toHaveCount(0);
  // "/" typed inside the box is a character, not the shortcut.
  await page.keyboard.type("a/b");
  await expect(input).toHaveValue("a/b");
});

test("the list sorts by title and filters to owned and shared, with owners shown", async ({ ownerPage: page, api, browser, baseURL }) => {
  const tag = Date.now().toString(36);
  const titles = [`m ${tag}`, `B ${tag}`, `a ${tag}`];
  for (const title of titles) await createDocument(api, title);

  // Someone else shares a document with the owner (Ada, the admin, can open everything).
  const { state } = await signUpState(baseURL, "Cleo");
  const cleo = await newContext(browser, baseURL, state);
  const cleoApi = cleo.request;
  const created = await cleoApi.post("/api/documents", { data: { title: `Cleo's ${tag}` }, headers: { origin: baseURL } });
  expect(created.status()).toBe(201);
  const cleosId = ((await created.json()) as { id: string }).id;

  await page.goto("/");
  await page.getByTestId("list-sort-title").click();
  await expect(page).toHaveURL(/[?&]sort=title/);
  await expect(page.getByTestId("list-sort-title")).toHaveAttribute("aria-current", "page");
  const ours = page.getByTestId("document-link").filter({ hasText: tag }).locator(".document-title");
  await expect(ours).toHaveText([`a ${tag}`, `B ${tag}`, `Cleo's ${tag}`, `m ${tag}`]);

  await page.getByTestId("list-filter-owned").click();
  await expect(page).toHaveURL(/filter=owned/);
  await expect(page).toHaveURL(/sort=title/);
  await expect(ours).toHaveText([`a ${tag}`, `B ${tag}`, `m ${tag}`]);
  await expect(page.locator("li[data-document-id]").first().getByTestId("document-owner")).toHaveText("Owner: you");

  await page.getByTestId("list-filter-shared").click();
  await expect(ours).toHaveText([`Cleo's ${tag}`]);
  const row = page.locator(`li[data-document-id="${cleosId}"]`);
  await expect(row.getByTestId("document-owner")).toHaveText("Owner: Cleo");
  // The time is the viewer's: rendered by the browser in its own locale and zone.
  const time = row.getByTestId("document-updated");
  const iso = await time.getAttribute("datetime");
  const expected = await page.evaluate((at) => new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(at!)), iso);
  await expect(time).toHaveText(expected);
  await cleo.close();
});

test("the search box, its results and the list's controls pass axe", async ({ ownerPage: page, api }) => {
  const word = `Axolotl${Date.now().toString(36)}`;
  await createDocument(api, `${word} notes`);
  await page.goto("/");
  await page.getByTestId("search-input").fill(word.slice(0, 8));
  await expect(page.getByTestId("search-result")).toHaveCount(1);
  const results = await new AxeBuilder({ page })
    .include('[role="search"]')
    .include('[data-testid="list-filter"]')
    .include('[data-testid="list-sort"]')
    .include('[data-testid="document-list"]')
    .analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});
