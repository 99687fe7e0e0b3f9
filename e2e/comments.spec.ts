// Comments in browsers (issue 14): a "Can comment" link's guest comments on selected text and
// the owner replies, each seeing the other live; resolve and reopen; the commented text is
// highlighted, and deleting it leaves the thread detached, not lost. The guest still cannot
// change the content.
import type { Browser, Page } from "@playwright/test";
import { createDocument, createShareLink, expect, signUpState, test } from "./fixtures/test";

const editorOf = (page: Page) => page.locator(".ProseMirror");

/** Selects the first occurrence of `text` in the editor, as a person dragging over it would. */
async function selectText(page: Page, text: string): Promise<void> {
  await editorOf(page).evaluate((root, wanted) => {
    (root as HTMLElement).focus();
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const index = node.textContent?.indexOf(wanted) ?? -1;
      if (index < 0) continue;
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + wanted.length);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return;
    }
    throw new Error(`"${wanted}" is not in the editor`);
  }, text);
}

async function openAsGuest(browser: Browser, url: string, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await page.getByTestId("guest-name").fill(name);
  await page.getByTestId("guest-continue").click();
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  return page;
}

test("a comment link's guest comments, the owner replies, both live; resolve, reopen; deleting the text detaches the thread", async ({ browser, api, baseURL, ownerPage: owner }) => {
  const id = await createDocument(api, "Commented");
  // Someone on the document for the owner to mention.
  const dee = await signUpState(baseURL!, "Dee");
  expect((await api.post(`/api/documents/${id}/members`, { data: { email: dee.email, role: "editor" } })).status()).toBe(201);
  await owner.goto(`/d/${id}`);
  await expect(editorOf(owner)).toHaveAttribute("contenteditable", "true");
  await editorOf(owner).click();
  await owner.keyboard.type("The quick brown fox jumps over the lazy dog.");
  await expect(owner.getByTestId("save-status")).toHaveText("Saved");

  const guest = await openAsGuest(browser, await createShareLink(api, id, "commenter"), "Gus");
  await expect(editorOf(guest)).toContainText("lazy dog");
  await expect(editorOf(guest)).toHaveAttribute("contenteditable", "false");
  await expect(guest.getByTestId("role-badge")).toHaveText("Can comment");

  // The guest comments on "brown fox".
  await selectText(guest, "brown fox");
  await guest.getByTestId("add-comment").click();
  await expect(guest.getByTestId("comment-draft-quote")).toHaveText("brown fox");
  await guest.getByTestId("comment-new-text").fill("Is it brown? See https://example.com/fox.");
  await guest.getByTestId("comment-new-submit").click();
  const guestThread = guest.getByTestId("comment-thread");
  await expect(guestThread).toHaveCount(1);
  await expect(guestThread.getByTestId("comment-author")).toHaveText("Gus (guest)");
  await expect(guestThread.getByRole("link", { name: "https://example.com/fox" })).toHaveAttribute("rel", /noopener/);

  // The owner sees it live: the count, the highlighted text, the thread in the sidebar.
  await expect(owner.getByTestId("toggle-comments")).toHaveText("Comments (1)");
  await expect(owner.locator(".comment-highlight")).toHaveText("brown fox");
  await owner.getByTestId("toggle-comments").click();
  const ownerThread = owner.getByTestId("comment-thread");
  await expect(ownerThread.getByTestId("comment-body")).toHaveText("Is it brown? See https://example.com/fox.");
  // Not the owner's comment: no edit or delete for them.
  await expect(ownerThread.getByTestId("comment-edit-button")).toHaveCount(0);

  // The owner replies, mentioning someone on the document through the @ suggestions; the guest
  // sees it live.
  await ownerThread.getByTestId("comment-reply-text").fill("Yes, very brown, says @De");
  await ownerThread.getByTestId("mention-suggestion").filter({ hasText: /^Dee$/ }).first().click();
  await expect(ownerThread.getByTestId("comment-reply-text")).toHaveValue("Yes, very brown, says @Dee ");
  await ownerThread.getByTestId("comment-reply-submit").click();
  await expect(guestThread.getByTestId("comment")).toHaveCount(2);
  await expect(guestThread.getByTestId("comment-body").nth(1)).toHaveText("Yes, very brown, says @Dee");
  await expect(guestThread.getByTestId("comment-mention")).toHaveText("@Dee");

  // The guest edits their own comment; the owner sees the edit.
  await guestThread.getByTestId("comment-edit-button").first().click();
  await guestThread.getByTestId("comment-edit-text").fill("Is it really brown?");
  await guestThread.getByTestId("comment-edit-submit").click();
  await expect(ownerThread.getByTestId("comment-body").first()).toHaveText("Is it really brown?");

  // Resolved by the owner: gone from the guest's open list, in the resolved one; reopened, back.
  await ownerThread.getByTestId("thread-resolve").click();
  await expect(guest.getByTestId("comments-show-resolved")).toHaveText("Resolved (1)");
  await expect(guest.getByTestId("comment-thread")).toHaveCount(0);
  await guest.getByTestId("comments-show-resolved").click();
  await expect(guest.getByTestId("thread-resolved-by")).toHaveText("Resolved by Ada");
  await owner.getByTestId("comments-show-resolved").click();
  await owner.getByTestId("thread-reopen").click();
  await expect(guest.getByTestId("comments-show-open")).toHaveText("Open (1)");
  await guest.getByTestId("comments-show-open").click();
  await expect(guest.getByTestId("comment-thread")).toHaveCount(1);
  await owner.getByTestId("comments-show-open").click();

  // The guest's typing changes nothing.
  await editorOf(guest).click();
  await guest.keyboard.type("guest typing");
  await expect(editorOf(owner)).not.toContainText("guest typing");

  // The owner deletes the commented words: the thread stays, detached, for both.
  await expect(owner.getByTestId("comment-thread")).toHaveAttribute("data-detached", "false");
  await selectText(owner, "brown fox");
  await owner.keyboard.press("Backspace");
  await expect(editorOf(owner)).not.toContainText("brown");
  for (const page of [owner, guest]) {
    await expect(page.getByTestId("comment-thread")).toHaveAttribute("data-detached", "true");
    await expect(page.getByTestId("thread-detached")).toBeVisible();
    await expect(page.getByTestId("thread-quote")).toHaveText("“brown fox”");
  }
  await expect(owner.locator(".comment-highlight")).toHaveCount(0);
  await guest.context().close();
});

test("a viewer reads comments but is offered no way to write them; a notification's link opens the thread", async ({ browser, api, ownerPage: owner }) => {
  const id = await createDocument(api, "Read only comments");
  await owner.goto(`/d/${id}`);
  await expect(editorOf(owner)).toHaveAttribute("contenteditable", "true");
  await editorOf(owner).click();
  await owner.keyboard.type("Words to discuss.");
  await expect(owner.getByTestId("save-status")).toHaveText("Saved");
  const made = await api.post(`/api/documents/${id}/comments`, { data: { text: "discuss", body: "Made through the API" } });
  expect(made.status()).toBe(201);
  const { thread } = (await made.json()) as { thread: { id: string } };

  const viewer = await openAsGuest(browser, `${await createShareLink(api, id, "viewer")}#comment-${thread.id}`, "Vic");
  await expect(viewer.getByTestId("comments-panel")).toBeVisible();
  await expect(viewer.getByTestId("comment-body")).toHaveText("Made through the API");
  await expect(viewer.getByTestId("add-comment")).toHaveCount(0);
  await expect(viewer.getByTestId("comment-reply")).toHaveCount(0);
  await expect(viewer.getByTestId("thread-resolve")).toHaveCount(0);
  await viewer.context().close();
});
