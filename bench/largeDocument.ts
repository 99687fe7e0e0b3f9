// Working in a large document: how much of the page's main thread each thing someone does, or
// sees others do, costs in a 100 KB document. Real Chromium on the real app (server/main.ts
// with a Next build, as the e2e tests run it); another person is a stock y-websocket client in
// this process, signed in as a second account.
//
// Measured with Chromium's own counter of the renderer's main-thread task time
// (CDP Performance.getMetrics, TaskDuration), over a burst, divided by the burst's events:
// - a keystroke typed in the page (PER_BURST characters, one every PACE_MS);
// - another person's caret moving (awareness updates with a y-prosemirror cursor);
// - another person typing a character (a Yjs update).
//
// Several builds can be compared in one run, each with its own server, e.g. the build of an
// earlier commit and this one: BUILDS=.next-before,.next-x. Ratios are against the first.
//
//   NEXT_DIST_DIR=.next-x npx next build && NEXT_DIST_DIR=.next-x DATABASE_URL=postgresql://… npm run bench:large-document
import os from "node:os";
import * as Y from "yjs";
import { chromium, type Browser, type CDPSession, type Page } from "playwright";
import { startAppServer } from "../e2e/fixtures/appServer.ts";
import { largeMarkdown } from "../server/testing/largeMarkdown.ts";
import { connectClient, synced } from "../server/testing/yClients.ts";
import { EDITOR_FRAGMENT_NAME } from "../lib/editor/extensions.ts";
import { writeResultsSection } from "./lib/resultsSection.ts";
import { signedInContext, signUp } from "./lib/benchAccount.ts";
import { fmt, median } from "./lib/stats.ts";

const DOCUMENT_BYTES = 100_000;
const PER_BURST = 60;
const PACE_MS = 40;
/** Bursts per measure per build; the median is reported. */
const ROUNDS = 3;

type Measure = "keystroke" | "remoteCaret" | "remoteKeystroke";
const MEASURES: Record<Measure, string> = {
  keystroke: "a keystroke typed here",
  remoteCaret: "another person's caret moving",
  remoteKeystroke: "another person typing a character",
};

async function call(baseUrl: string, cookie: string, path: string, method: string, body: string, contentType: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}${path}`, { method, headers: { cookie, origin: baseUrl, "content-type": contentType }, body });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** The renderer main thread's task time so far, ms. */
async function taskTime(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return (metrics.find((metric) => metric.name === "TaskDuration")?.value ?? 0) * 1000;
}

/** Main-thread ms per event of `burst`, which makes `events` events; waits for the page to settle after it. */
async function perEvent(page: Page, cdp: CDPSession, events: number, burst: () => Promise<void>): Promise<number> {
  await page.waitForTimeout(1_500);
  const before = await taskTime(cdp);
  await burst();
  // Deferred work (the word count's idle callback, say) belongs to the burst too.
  await page.waitForTimeout(1_500);
  return ((await taskTime(cdp)) - before) / events;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function measureBuild(browser: Browser, distDir: string, markdown: string): Promise<Record<Measure, number>> {
  const app = await startAppServer({ env: { NEXT_DIST_DIR: distDir, LOG_LEVEL: "warn" } });
  const other = { provider: null as ReturnType<typeof connectClient> | null };
  try {
    const base = app.baseUrl;
    const owner = await signUp(base, "Owner");
    const { id } = (await call(base, owner, "/api/documents", "POST", markdown, "text/markdown")) as { id: string };
    const context = await signedInContext(browser, base, owner);
    const page = await context.newPage();
    await page.goto(`/d/${id}`);
    await page.locator('[data-testid="editor"][data-editable="true"]').waitFor({ timeout: 60_000 });
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");

    // Another person: the owner's second device would share the account's colour; a link's
    // editor guest is someone else, as on a real team.
    const { url } = (await call(base, owner, `/api/documents/${id}/links`, "POST", JSON.stringify({ role: "editor" }), "application/json")) as { url: string };
    const token = new URL(url).searchParams.get("token")!;
    const doc = new Y.Doc();
    other.provider = connectClient(`${base.replace("http", "ws")}/collab`, id, doc, { token, name: "Other" });
    await synced(other.provider);
    const fragment = doc.getXmlFragment(EDITOR_FRAGMENT_NAME);
    const paragraphs = fragment.toArray().filter((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === "paragraph" && node.get(0) instanceof Y.XmlText);
    if (paragraphs.length < PER_BURST) throw new Error(`only ${paragraphs.length} paragraphs`);

    const results: Record<Measure, number[]> = { keystroke: [], remoteCaret: [], remoteKeystroke: [] };
    for (let round = 0; round < ROUNDS; round++) {
      await page.locator(".ProseMirror p").first().click();
      await page.keyboard.press("End");
      results.keystroke.push(await perEvent(page, cdp, PER_BURST, () => page.keyboard.type("x".repeat(PER_BURST), { delay: PACE_MS })));

      results.remoteCaret.push(
        await perEvent(page, cdp, PER_BURST, async () => {
          for (let i = 0; i < PER_BURST; i++) {
            const text = paragraphs[(round * PER_BURST + i) % paragraphs.length].get(0) as Y.XmlText;
            const at = Y.createRelativePositionFromTypeIndex(text, Math.min(3, text.length));
            other.provider!.awareness.setLocalStateField("cursor", { anchor: Y.relativePositionToJSON(at), head: Y.relativePositionToJSON(at) });
            await sleep(PACE_MS);
          }
        }),
      );

      results.remoteKeystroke.push(
        await perEvent(page, cdp, PER_BURST, async () => {
          const text = paragraphs[paragraphs.length - 1 - round].get(0) as Y.XmlText;
          for (let i = 0; i < PER_BURST; i++) {
            text.insert(text.length, "y");
            await sleep(PACE_MS);
          }
        }),
      );
    }
    await context.close();
    return { keystroke: median(results.keystroke), remoteCaret: median(results.remoteCaret), remoteKeystroke: median(results.remoteKeystroke) };
  } finally {
    other.provider?.destroy();
    await app.stop();
  }
}

async function main(): Promise<void> {
  const builds = (process.env.BUILDS ?? process.env.NEXT_DIST_DIR ?? ".next").split(",").filter(Boolean);
  const loadBefore = os.loadavg()[0];
  const markdown = largeMarkdown(DOCUMENT_BYTES);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  const rows: [string, Record<Measure, number>][] = [];
  try {
    for (const build of builds) {
      const result = await measureBuild(browser, build, markdown);
      console.log(build, Object.entries(result).map(([k, v]) => `${k} ${fmt(v)} ms`).join(", "));
      rows.push([build, result]);
    }
  } finally {
    await browser.close();
  }
  const first = rows[0][1];
  const measures = Object.keys(MEASURES) as Measure[];
  const section = [
    "## Working in a large document",
    "",
    `Generated by \`BUILDS=${builds.join(",")} DATABASE_URL=${process.env.DATABASE_URL ? "postgresql://…" : "(PGlite)"} npm run bench:large-document\` on ${new Date().toISOString()} ` +
      `(the real app; Debian's Chromium; ${os.cpus().length} cores, 1-minute load average ${loadBefore.toFixed(1)} before and ${os.loadavg()[0].toFixed(1)} after).`,
    "",
    `A ${Math.round(markdown.length / 1000)} KB document open in Chromium. Main-thread time of the page (Chromium's TaskDuration) per event, over bursts of ${PER_BURST} events ` +
      `${PACE_MS} ms apart, including what the page does in the 1.5 s after a burst; median of ${ROUNDS} bursts. Another person is a stock y-websocket client with a link's editor role. ` +
      (rows.length > 1 ? `Ratios: against ${builds[0]}.` : ""),
    "",
    `| build | ${measures.map((m) => MEASURES[m]).join(" | ")} |`,
    `| --- | ${measures.map(() => "---").join(" | ")} |`,
    ...rows.map(([build, result]) => `| ${build} | ${measures.map((m) => `${fmt(result[m])} ms${rows.length > 1 && build !== builds[0] ? ` (${(result[m] / first[m]).toFixed(2)}×)` : ""}`).join(" | ")} |`),
  ].join("\n");
  console.log(section);
  writeResultsSection("large-document", section);
  process.exit(0);
}

await main();
