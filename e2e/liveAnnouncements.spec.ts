// The page's one polite live region (issue 13: "live regions that help instead of chatter"):
// typing says next to nothing (the save badge used to be announced 86 times for 43 characters),
// while going offline, coming back, someone joining or leaving and losing access are each said;
// the home page's search says its result, not "Searching…" at every keystroke.
import type { Page } from "@playwright/test";
import { PRESENCE_SETTLE_MS } from "../app/d/[id]/presenceAnnouncer.ts";
import { test, expect, createDocument, createShareLink, newContext } from "./fixtures/test";

/** Counts, from now on, every change of text inside any live region of the page. */
async function countLiveRegionChanges(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const live = '[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"], [role="log"]';
    const counter = window as unknown as { liveChanges: number };
    counter.liveChanges = 0;
    new MutationObserver((records) => {
      for (const record of records) {
        const element = record.target instanceof Element ? record.target : record.target.parentElement;
        if (element?.closest(live)) counter.liveChanges++;
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { liveChanges: number }).liveChanges);
}

const announcer = (page: Page) => page.getByTestId("live-announcer");

test("typing 40 characters is not announced: the save badge is no live region", async ({ ownerPage: page, api }) => {
  const id = await createDocument(api, "Quiet typing");
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await page.locator(".ProseMirror").click();
  const changes = await countLiveRegionChanges(page);
  const typed = "Forty characters typed one at a time...";
  await page.keyboard.type(`${typed}!`, { delay: 40 });
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  // The badge changed as saves went and came back; none of that reached a live region.
  expect(await changes()).toBeLessThanOrEqual(2);
  expect(await page.getByTestId("save-status").evaluate((badge) => badge.closest('[aria-live], [role="status"], [role="alert"]'))).toBeNull();
  // One polite live region on the page.
  await expect(page.locator('[aria-live="polite"], [role="status"]')).toHaveCount(1);
});

test("the home page's search says its result once, through the page's one live region", async ({ ownerPage: page, api }) => {
  await createDocument(api, "Announced search result");
  await page.goto("/");
  await expect(page.locator('[aria-live="polite"], [role="status"]')).toHaveCount(1);
  const changes = await countLiveRegionChanges(page);
  await page.getByTestId("search-input").pressSequentially("Announced", { delay: 40 });
  await expect(page.getByTestId("search-status")).toHaveText(/^\d+\+? documents? match/);
  await expect(announcer(page)).toHaveText(/^\d+\+? documents? match/);
  // "Searching…" as the query grows is not read out; results are, a few times at most.
  expect(await changes()).toBeLessThanOrEqual(4);
});

test("offline, back online, someone joining and leaving, and lost access are announced", async ({ ownerPage: page, api, browser, baseURL }) => {
  const id = await createDocument(api, "Announced changes");
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");

  await page.context().setOffline(true);
  await expect(announcer(page)).toHaveText(/^You are offline\./);
  await page.context().setOffline(false);
  await expect(announcer(page)).toHaveText("Back online.");
  // For a moment after (re)connecting, arrivals are taken as people who were already there
  // (presenceAnnouncer.ts): the guest comes after it, as a newcomer would.
  await page.waitForTimeout(PRESENCE_SETTLE_MS);

  const link = await createShareLink(api, id, "editor");
  const guest = await (await newContext(browser, baseURL, null)).newPage();
  await guest.goto(link);
  await guest.getByTestId("guest-name").fill("Grace");
  await guest.getByTestId("guest-continue").click();
  await expect(guest.getByTestId("connection-status")).toHaveText("Connected");
  await expect(announcer(page)).toHaveText("Grace (guest) joined.");
  // Those already there when a page opens are not news to it.
  await expect(announcer(guest)).toBeEmpty();

  // The owner revokes the guest's link: the guest hears they lost access.
  const { links } = (await (await api.get(`/api/documents/${id}/links`)).json()) as { links: { id: string }[] };
  expect((await api.delete(`/api/documents/${id}/links/${links[0].id}`)).status()).toBeLessThan(300);
  await expect(announcer(guest)).toHaveText("You no longer have access to this document.");
  await expect(announcer(page)).toHaveText("Grace (guest) left.", { timeout: 15_000 });
  await guest.context().close();
});
