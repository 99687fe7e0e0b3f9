// The live title (issue 12): the title is part of the document, so a rename shows in every
// open tab as it is typed, a rename made offline is kept and reaches the others once back
// online (merging with theirs), Ctrl+Z undoes it, and viewers cannot rename. The list (the
// server's projection of the title into the documents row) follows.

import type { Browser, Page } from "@playwright/test";
import { createDocument, createShareLink, expect, newContext, test } from "./fixtures/test.ts";

type State = Parameters<typeof newContext>[2];

/** Opens the document in a new signed-in context and waits until its title can be edited. */
async function openEditable(browser: Browser, baseURL: string, state: State, id: string): Promise<Page> {
  const context = await newContext(browser, baseURL, state);
  const page = await context.newPage();
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await expect(page.getByTestId("document-title")).toBeEditable();
  return page;
}

const titleOf = (page: Page) => page.getByTestId("document-title");

test("a rename shows live in another browser, in the tab title and in the list", async ({ browser, baseURL, api, ownerState }) => {
  const id = await createDocument(api, "Draft");
  const ada = await openEditable(browser, baseURL, ownerState, id);
  const bob = await openEditable(browser, baseURL, ownerState, id);
  await expect(titleOf(bob)).toHaveValue("Draft");

  // Typed character by character, each one a live change.
  await titleOf(ada).click();
  await ada.keyboard.press("End");
  await ada.keyboard.type(" roadmap");
  await expect(titleOf(bob)).toHaveValue("Draft roadmap");
  await expect(bob).toHaveTitle("Draft roadmap · Documents");

  // Bob's caret stays where he put it while Ada types before it.
  await titleOf(bob).click();
  await titleOf(bob).evaluate((input: HTMLInputElement) => input.setSelectionRange(5, 5)); // after "Draft"
  await titleOf(ada).press("Home");
  await ada.keyboard.type("Q3 ");
  await expect(titleOf(bob)).toHaveValue("Q3 Draft roadmap");
  expect(await titleOf(bob).evaluate((input: HTMLInputElement) => input.selectionStart)).toBe(8);
  await bob.keyboard.type("ed");
  await expect(titleOf(ada)).toHaveValue("Q3 Drafted roadmap");

  // An emptied title shows "Untitled" to others (as its placeholder) and no error anywhere.
  await titleOf(ada).fill("");
  await expect(titleOf(bob)).toHaveValue("");
  await expect(titleOf(bob)).toHaveAttribute("placeholder", "Untitled");
  await expect(bob).toHaveTitle("Untitled · Documents");
  await expect(ada.locator(".error-text")).toHaveCount(0);

  // The list follows (the server mirrors the title to the row, debounced).
  await titleOf(ada).fill("Roadmap for the list");
  await expect(titleOf(bob)).toHaveValue("Roadmap for the list");
  const home = await (await newContext(browser, baseURL, ownerState)).newPage();
  await expect
    .poll(async () => {
      await home.goto("/");
      return home.getByTestId("document-link").filter({ hasText: "Roadmap for the list" }).count();
    }, { timeout: 15_000 })
    .toBe(1);
});

test("a rename made offline survives reconnection and merges with a rename made meanwhile", async ({ browser, baseURL, api, ownerState }) => {
  const id = await createDocument(api, "Field notes");
  const ada = await openEditable(browser, baseURL, ownerState, id);
  const bob = await openEditable(browser, baseURL, ownerState, id);

  await ada.context().setOffline(true);
  await expect(ada.getByTestId("connection-status")).toHaveText("Offline");
  // Still editable offline: the rename is kept on the device.
  await titleOf(ada).click();
  await ada.keyboard.press("End");
  await ada.keyboard.type(" from the trip");
  await expect(titleOf(ada)).toHaveValue("Field notes from the trip");
  // Meanwhile Bob, online, renames the start.
  await titleOf(bob).click();
  await bob.keyboard.press("Home");
  await bob.keyboard.type("Raw ");
  await expect(titleOf(bob)).toHaveValue("Raw Field notes");
  await bob.waitForTimeout(500);
  await expect(titleOf(bob)).toHaveValue("Raw Field notes");

  await ada.context().setOffline(false);
  await expect(ada.getByTestId("connection-status")).toHaveText("Connected", { timeout: 20_000 });
  await expect(titleOf(bob)).toHaveValue("Raw Field notes from the trip");
  await expect(titleOf(ada)).toHaveValue("Raw Field notes from the trip");

  // And it is the document's title for good: a fresh visit has it.
  const later = await openEditable(browser, baseURL, ownerState, id);
  await expect(titleOf(later)).toHaveValue("Raw Field notes from the trip");
});

test("Ctrl+Z in the title undoes the rename, for everyone; Ctrl+Shift+Z redoes it; Escape reverts", async ({ browser, baseURL, api, ownerState }) => {
  const id = await createDocument(api, "Budget");
  const ada = await openEditable(browser, baseURL, ownerState, id);
  const bob = await openEditable(browser, baseURL, ownerState, id);

  await titleOf(ada).click();
  await ada.keyboard.press("End");
  await ada.keyboard.type(" 2027");
  await expect(titleOf(bob)).toHaveValue("Budget 2027");
  await ada.keyboard.press("Control+z");
  await expect(titleOf(ada)).toHaveValue("Budget");
  await expect(titleOf(bob)).toHaveValue("Budget");
  // The caret is where the undone text was.
  expect(await titleOf(ada).evaluate((input: HTMLInputElement) => input.selectionStart)).toBe(6);
  await ada.keyboard.press("Control+Shift+z");
  await expect(titleOf(bob)).toHaveValue("Budget 2027");

  // Undo is per person: Bob's undo does not take back Ada's rename.
  await titleOf(bob).click();
  await bob.keyboard.press("Control+z");
  await expect(titleOf(bob)).toHaveValue("Budget 2027");

  // Escape takes the title back to what it was when the field was focused.
  await titleOf(ada).blur();
  await titleOf(ada).click();
  await ada.keyboard.press("End");
  await ada.keyboard.type(" draft");
  await expect(titleOf(bob)).toHaveValue("Budget 2027 draft");
  await ada.keyboard.press("Escape");
  await expect(titleOf(ada)).toHaveValue("Budget 2027");
  await expect(titleOf(bob)).toHaveValue("Budget 2027");
});

test("a viewer sees renames live but cannot rename", async ({ browser, baseURL, api, ownerState }) => {
  const id = await createDocument(api, "Read me");
  const viewLink = new URL(await createShareLink(api, id, "viewer"));
  const ada = await openEditable(browser, baseURL, ownerState, id);
  const viewer = await (await newContext(browser, baseURL, null)).newPage();
  await viewer.goto(viewLink.pathname + viewLink.search);
  await viewer.getByTestId("guest-name").fill("Vic");
  await viewer.getByTestId("guest-continue").click();
  await expect(viewer.getByTestId("connection-status")).toHaveText("Connected");
  await expect(titleOf(viewer)).toHaveValue("Read me");
  await expect(titleOf(viewer)).toHaveAttribute("readonly", "");
  await titleOf(ada).fill("Read me first");
  await expect(titleOf(viewer)).toHaveValue("Read me first");
});
