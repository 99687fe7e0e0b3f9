// Comments under load (issue 14): PEOPLE people on one document (a "Can comment" link's guests,
// real y-websocket clients speaking the COMMENT extension), each starting a thread or replying
// every INTERVAL_MS on average, for DURATION_MS. Delivery latency: from a request's send to the
// moment each other person's socket has the changed thread (49 deliveries per comment). The
// real app (server/main.ts with the Next build) runs in its own process; this process is the
// load generator. Goal: p99 ≤ 100 ms.
//
//   NEXT_DIST_DIR=.next-x npx next build && NEXT_DIST_DIR=.next-x DATABASE_URL=postgresql://… npm run bench:comments
import os from "node:os";
import { startAppServer } from "../e2e/fixtures/appServer.ts";
import { anchorIn, connectCommentClient, firstText, type CommentClient } from "../server/testing/commentClients.ts";
import { waitFor } from "../server/testing/yClients.ts";
import { percentile, fmt } from "./lib/stats.ts";
import { writeResultsSection } from "./lib/resultsSection.ts";
import { processCpu, ticksToMs } from "./lib/databaseCpu.ts";

const PEOPLE = Number(process.env.PEOPLE ?? 50);
const INTERVAL_MS = Number(process.env.INTERVAL_MS ?? 2_000);
const DURATION_MS = Number(process.env.DURATION_MS ?? 30_000);
const WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];

async function main(): Promise<void> {
  const app = await startAppServer({ env: { LOG_LEVEL: "warn" } });
  const clients: CommentClient[] = [];
  try {
    const origin = app.baseUrl;
    const signUp = await fetch(`${origin}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ name: "Bench Owner", email: `bench-${Date.now()}@example.test`, password: "correct horse battery" }),
    });
    const cookie = (signUp.headers.get("set-cookie") ?? "").split(";")[0];
    const call = async (path: string, method: string, body: string, contentType = "application/json") => {
      const response = await fetch(`${origin}${path}`, { method, headers: { cookie, origin, "content-type": contentType }, body });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<Record<string, unknown>>;
    };
    const { id } = (await call("/api/documents", "POST", JSON.stringify({ title: "Comment bench" }))) as { id: string };
    await call(`/api/documents/${id}/content`, "PUT", WORDS.join(" "), "text/markdown");
    const { url } = (await call(`/api/documents/${id}/links`, "POST", JSON.stringify({ role: "commenter" }))) as { url: string };
    const token = new URL(url).searchParams.get("token")!;
    const wsBase = `${origin.replace("http", "ws")}/collab`;

    for (let i = 0; i < PEOPLE; i++) clients.push(await connectCommentClient(wsBase, id, { token, role: "commenter", name: `Person ${i}` }));
    await waitFor(() => clients.every((c) => c.doc.getXmlFragment("default").length > 0), "every client has the text");

    /** Send time of each comment, by its body. */
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const seen = clients.map(() => new Set<string>());
    clients.forEach((client, index) =>
      client.comments.subscribe((changed) => {
        const now = performance.now();
        for (const thread of changed) {
          for (const comment of thread.comments) {
            const at = sentAt.get(comment.body);
            if (at === undefined || seen[index].has(comment.body) || comment.body.startsWith(`p${index} `)) continue;
            seen[index].add(comment.body);
            latencies.push(now - at);
          }
        }
      }),
    );

    const serverTicks = () => processCpu(app.pid() ?? 0)?.ticks ?? 0;
    const serverBefore = serverTicks();
    const generatorBefore = process.cpuUsage();
    let sent = 0;
    let refused = 0;
    const refusals = new Map<string, number>();
    const started = performance.now();
    const timers = clients.map((client, index) => {
      let seq = 0;
      const tick = () => {
        if (performance.now() - started > DURATION_MS) return;
        const body = `p${index} #${++seq}`;
        const threads = client.comments.list;
        const word = WORDS[(index + seq) % WORDS.length];
        const request =
          threads.length > 0 && seq % 3 === 0
            ? { op: "reply" as const, threadId: threads[(index * 7 + seq) % threads.length].id, body }
            : { op: "create" as const, anchor: anchorIn(firstText(client.doc), word), quote: word, body };
        sentAt.set(body, performance.now());
        sent++;
        void client.comments.request(request).then((result) => {
          if (!result.ok) {
            refused++;
            refusals.set(result.error.message, (refusals.get(result.error.message) ?? 0) + 1);
          }
        });
        timer = setTimeout(tick, INTERVAL_MS * (0.5 + Math.random()));
      };
      let timer = setTimeout(tick, Math.random() * INTERVAL_MS);
      return () => clearTimeout(timer);
    });
    await new Promise((resolve) => setTimeout(resolve, DURATION_MS + 3_000));
    timers.forEach((stop) => stop());
    const serverCpuMs = ticksToMs(serverTicks() - serverBefore);
    const generatorUsage = process.cpuUsage(generatorBefore);
    const generatorCpuMs = (generatorUsage.user + generatorUsage.system) / 1000;
    const seconds = (DURATION_MS + 3_000) / 1000;

    const expected = sent * (PEOPLE - 1);
    latencies.sort((a, b) => a - b);
    const p = (q: number) => fmt(percentile(latencies, q * 100));
    const lines = [
      "## Comments: 50 people commenting on one document (issue 14)",
      "",
      `\`npm run bench:comments\` (real app with the Next build, ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}; generators in this process, the server in its own), ${new Date().toISOString().slice(0, 16)}Z, ${os.cpus().length} cores.`,
      `${PEOPLE} link guests on one document, each starting a thread or replying about every ${INTERVAL_MS / 1000} s (${fmt((sent / DURATION_MS) * 1000)} comments/s in all) for ${DURATION_MS / 1000} s.`,
      "",
      "| comments sent | refused | deliveries (expected) | p50 ms | p95 ms | p99 ms | max ms | server CPU | generator CPU | load average |",
      "|---|---|---|---|---|---|---|---|---|---|",
      `| ${sent} | ${refused} | ${latencies.length} (${expected}) | ${p(0.5)} | ${p(0.95)} | ${p(0.99)} | ${fmt(latencies[latencies.length - 1])} | ${fmt((serverCpuMs / seconds) / 10)}% (${fmt(serverCpuMs / sent)} ms/comment) | ${fmt((generatorCpuMs / seconds) / 10)}% | ${os.loadavg()[0].toFixed(1)} |`,
      "",
      `Goal: delivery p99 ≤ 100 ms — ${percentile(latencies, 99) <= 100 ? "met" : "missed"}. ${process.env.BENCH_NOTE ?? ""}`,
    ];
    if (refusals.size > 0) lines.push("", `Refusals: ${[...refusals].map(([message, count]) => `${count} × ${message}`).join("; ")}`);
    const markdown = lines.join("\n");
    console.log(markdown);
    writeResultsSection("comments", markdown);
  } finally {
    for (const client of clients) client.close();
    await app.stop();
  }
}

await main();
