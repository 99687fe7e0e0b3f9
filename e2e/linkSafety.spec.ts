// A link mark written straight into the Y.Doc by a modified client (here a stock y-websocket
// client on an edit link) renders with our attributes only: no class that could stretch it
// over the page, our target and rel, and a click opens a new tab that has no hold on ours.

import * as Y from "yjs";
import { connectClient, synced } from "../server/testing/yClients.ts";
import { EDITOR_FRAGMENT_NAME } from "../lib/editor/extensions.ts";
import { createDocument, createShareLink, expect, test } from "./fixtures/test.ts";

const ATTACKER_URL = "https://attacker.example";

test("hostile link attributes from the Y.Doc are not rendered; a click opens a separate tab", async ({ api, baseURL, ownerPage: page }) => {
  const id = await createDocument(api, "Links");
  const token = new URL(await createShareLink(api, id, "editor")).searchParams.get("token")!;

  const attackerDoc = new Y.Doc();
  const attacker = connectClient(`${baseURL.replace(/^http/, "ws")}/collab`, id, attackerDoc, { token, name: "Mallory" });
  try {
    await synced(attacker);
    attackerDoc.transact(() => {
      const paragraph = new Y.XmlElement("paragraph");
      const text = new Y.XmlText();
      paragraph.insert(0, [text]);
      attackerDoc.getXmlFragment(EDITOR_FRAGMENT_NAME).insert(0, [paragraph]);
      text.insert(0, "click", { link: { href: ATTACKER_URL, class: "dialog-backdrop", target: "_self" } });
    });

    await page.goto(`/d/${id}`);
    await expect(page.getByTestId("editor")).toHaveAttribute("data-synced", "true");
    const link = page.locator(".ProseMirror a");
    await expect(link).toHaveText("click");
    expect(await link.getAttribute("class")).toBeNull();
    await expect(link).toHaveAttribute("target", "_blank");
    await expect(link).toHaveAttribute("rel", /\bnoopener\b/);
    await expect(link).toHaveAttribute("href", ATTACKER_URL);

    // Following it leaves the document open and gives the linked page no window.opener.
    await page.context().route(`${ATTACKER_URL}/**`, (route) => route.fulfill({ contentType: "text/html", body: "<p>elsewhere</p>" }));
    const opened = page.context().waitForEvent("page");
    await link.click();
    const tab = await opened;
    await tab.waitForLoadState();
    expect(tab.url()).toBe(`${ATTACKER_URL}/`);
    expect(await tab.evaluate(() => window.opener === null)).toBe(true);
    expect(new URL(page.url()).pathname).toBe(`/d/${id}`);
  } finally {
    attacker.destroy();
    attackerDoc.destroy();
  }
});

test("words someone else wrote are not autolinked by this editor; words typed here are", async ({ api, baseURL, ownerPage: page }) => {
  const id = await createDocument(api, "Autolink");
  const token = new URL(await createShareLink(api, id, "editor")).searchParams.get("token")!;
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("editor")).toHaveAttribute("data-editable", "true");

  // A stock y-websocket client writes a URL followed by a space, what autolinking reacts to.
  const otherDoc = new Y.Doc();
  const other = connectClient(`${baseURL.replace(/^http/, "ws")}/collab`, id, otherDoc, { token, name: "Bot" });
  try {
    await synced(other);
    // Into the document's one paragraph (the editor made it on opening): y-tiptap then hands
    // ProseMirror a change of the whole document, which ends with the space.
    const fragment = otherDoc.getXmlFragment(EDITOR_FRAGMENT_NAME);
    await expect.poll(() => fragment.length).toBe(1);
    const text = (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText | undefined;
    if (text) text.insert(text.length, "see example.com ");
    else (fragment.get(0) as Y.XmlElement).insert(0, [new Y.XmlText("see example.com ")]);
    await expect(page.locator(".ProseMirror")).toContainText("see example.com");
    await page.waitForTimeout(1_000); // time for this editor to have sent a link, had it made one
    await expect(page.locator(".ProseMirror a")).toHaveCount(0);
    expect(await (await api.get(`/api/documents/${id}/content?format=markdown`)).text()).not.toContain("](");
  } finally {
    other.destroy();
    otherDoc.destroy();
  }

  // Typed here, the same kind of words become a link (and are saved as one).
  await page.locator(".ProseMirror p").last().click();
  await page.keyboard.press("End");
  await page.keyboard.type("and example.org ");
  await expect(page.locator(".ProseMirror a")).toHaveText("example.org");
  await expect.poll(async () => (await api.get(`/api/documents/${id}/content?format=markdown`)).text()).toContain("[example.org](http://example.org)");
});
