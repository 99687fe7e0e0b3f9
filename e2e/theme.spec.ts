// Dark mode (issue 13): the page follows prefers-color-scheme by default; the header's theme
// switch (System / Light / Dark) overrides it, is remembered in this browser, and is applied
// before the first paint by an inline script that runs under the CSP (its nonce); colours pass
// axe's contrast rules in the chosen dark theme.
import type { Page } from "@playwright/test";
import { test, expect, createDocument } from "./fixtures/test";
import { axeViolations } from "./fixtures/axe";

const LIGHT_BACKGROUND = "rgb(246, 247, 249)";
const DARK_BACKGROUND = "rgb(13, 17, 23)";
const bodyBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test("Dark on a light-scheme browser is dark, stays dark after a reload from the first paint, and System follows the scheme", async ({ ownerPage: page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/");
  const themeSwitch = page.getByRole("combobox", { name: "Theme" });
  await expect(themeSwitch).toHaveValue("system");
  expect(await bodyBackground(page)).toBe(LIGHT_BACKGROUND);

  await themeSwitch.selectOption("dark");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  expect(await bodyBackground(page)).toBe(DARK_BACKGROUND);

  await page.reload();
  await expect(themeSwitch).toHaveValue("dark");
  expect(await bodyBackground(page)).toBe(DARK_BACKGROUND);

  // Before the first paint: with the app's scripts blocked (nothing hydrates), only the inline
  // boot script in <head> can have applied the choice, and it did, under the CSP.
  await page.route("**/_next/static/**/*.js", (route) => route.abort());
  await page.goto("/settings");
  expect(await page.locator("html").getAttribute("data-theme")).toBe("dark");
  expect(await bodyBackground(page)).toBe(DARK_BACKGROUND);
  await page.unroute("**/_next/static/**/*.js");
  expect(violations).toEqual([]);

  // System: the page follows the browser's scheme, and the choice is forgotten.
  await page.goto("/");
  await themeSwitch.selectOption("system");
  await expect(page.locator("html")).not.toHaveAttribute("data-theme", /./);
  expect(await page.evaluate(() => localStorage.getItem("theme"))).toBeNull();
  expect(await bodyBackground(page)).toBe(LIGHT_BACKGROUND);
  await page.emulateMedia({ colorScheme: "dark" });
  expect(await bodyBackground(page)).toBe(DARK_BACKGROUND);
  // Light wins over a dark-scheme browser.
  await themeSwitch.selectOption("light");
  expect(await bodyBackground(page)).toBe(LIGHT_BACKGROUND);
  await page.reload();
  expect(await bodyBackground(page)).toBe(LIGHT_BACKGROUND);
  await themeSwitch.selectOption("system");
});

test("axe's contrast rules pass in the chosen dark theme on the home page and in the editor", async ({ ownerPage: page, api }) => {
  const id = await createDocument(api, "Dark contrast");
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/");
  await page.getByRole("combobox", { name: "Theme" }).selectOption("dark");
  await expect(page.getByTestId("document-list")).toBeVisible();
  expect(await axeViolations(page), "home").toEqual([]);

  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  expect(await bodyBackground(page)).toBe(DARK_BACKGROUND);
  const text = page.locator(".ProseMirror");
  await text.click();
  // Text, a quote, highlighted and inline-code words, a link, a task and a table.
  await page.keyboard.type("Plain text with ");
  await page.keyboard.press("ControlOrMeta+Shift+H");
  await page.keyboard.type("highlighted");
  await page.keyboard.press("ControlOrMeta+Shift+H");
  await page.keyboard.type(" and ");
  await page.keyboard.press("ControlOrMeta+E");
  await page.keyboard.type("code");
  await page.keyboard.press("ControlOrMeta+E");
  await page.keyboard.type(" and a link https://example.com/ here.");
  await page.keyboard.press("Enter");
  await page.keyboard.press("ControlOrMeta+Shift+B");
  await page.keyboard.type("A quote.");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.getByTestId("toolbar-task-list").click();
  await page.keyboard.type("A task");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.getByTestId("toolbar-table").click();
  for (const header of ["Name", "Role", "Since"]) {
    await page.keyboard.type(header);
    await page.keyboard.press("Tab");
  }
  await page.keyboard.type("Ada");
  await expect(text.locator("mark")).toHaveText("highlighted");
  await expect(text.locator("blockquote")).toHaveText("A quote.");
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  expect(await axeViolations(page), "editor").toEqual([]);
});
