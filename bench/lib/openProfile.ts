// Where opening a document spends the page's time (bench/open.ts --profile): one cold open traced
// by Chromium (timeline and V8 sampling profiler), summarised as the main thread's tasks in
// order, the page's own performance marks among them, and the functions with the most
// self time between the navigation's start and the editor being editable with the content.
import path from "node:path";
import type { BrowserContext } from "playwright";

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: { name?: string; data?: Record<string, unknown> & { cpuProfile?: CpuProfileChunk; timeDeltas?: number[] } };
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  parent?: number;
}

interface CpuProfileChunk {
  nodes?: CpuProfileNode[];
  samples?: number[];
}

const CATEGORIES = [
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "v8.execute",
  "blink.user_timing",
  "loading",
  "disabled-by-default-v8.cpu_profiler",
].join(",");

/** How many functions the inclusive-time list shows. */
const TOTAL_LISTED = Number(process.env.PROFILE_FUNCTIONS ?? 40);

/** Tasks shorter than this are summed, not listed. */
const LISTED_TASK_MS = 4;

function short(url: unknown): string {
  if (typeof url !== "string" || !url) return "";
  return path.basename(url.split("?")[0]);
}

/** What a top-level task mostly did: its longest direct child with a telling name. */
function describe(task: TraceEvent, children: TraceEvent[]): string {
  const inner = children.filter((e) => e.ts >= task.ts && e.ts + (e.dur ?? 0) <= task.ts + (task.dur ?? 0) && e !== task);
  const named = inner.filter((e) => e.name !== "RunTask" && e.name !== "ThreadControllerImpl::RunTask");
  named.sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0));
  const top = named[0];
  if (!top) return task.name;
  const data = top.args?.data ?? {};
  const detail = short(data.url) || (typeof data.type === "string" ? data.type : "") || (typeof data.functionName === "string" ? data.functionName : "");
  const parts = named
    .filter((e) => ["v8.compile", "v8.compileModule", "EvaluateScript", "v8.evaluateModule", "FunctionCall", "ParseHTML", "Layout", "UpdateLayoutTree", "Paint", "MajorGC", "MinorGC", "V8.GC_SCAVENGER", "EventDispatch", "TimerFire", "FireAnimationFrame", "RunMicrotasks", "v8.parseOnBackground"].includes(e.name))
    .reduce<Record<string, number>>((sums, e) => ((sums[e.name] = (sums[e.name] ?? 0) + (e.dur ?? 0) / 1000), sums), {});
  const breakdown = Object.entries(parts)
    .filter(([, ms]) => ms >= 1)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([name, ms]) => `${name} ${ms.toFixed(0)}`)
    .join(", ");
  return `${top.name}${detail ? ` (${detail})` : ""}${breakdown ? ` [${breakdown}]` : ""}`;
}

export async function profileOpen(context: BrowserContext, url: string): Promise<void> {
  const browser = context.browser();
  if (!browser) throw new Error("no browser");
  const page = await context.newPage();
  await browser.startTracing(page, { categories: CATEGORIES.split(",") });
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(() => (window as unknown as { __openProbe: { editableWithContent: number | null } }).__openProbe.editableWithContent !== null, null, {
    timeout: 60_000,
    polling: 50,
  });
  const probe = await page.evaluate(() => (window as unknown as { __openProbe: Record<string, number | null> }).__openProbe);
  await page.waitForTimeout(200);
  const trace = JSON.parse((await browser.stopTracing()).toString("utf8")) as { traceEvents: TraceEvent[] };
  await context.close();
  const events = trace.traceEvents;

  const navigation = events.find((e) => e.name === "navigationStart" && String(e.args?.data?.documentLoaderURL ?? "").includes("/d/"));
  if (!navigation) throw new Error("no navigationStart in the trace");
  const mainThread = events.find((e) => e.ph === "M" && e.name === "thread_name" && e.pid === navigation.pid && e.args?.name === "CrRendererMain");
  const tid = mainThread?.tid ?? navigation.tid;
  const t0 = navigation.ts;
  const end = t0 + (probe.editableWithContent ?? 0) * 1000;
  const at = (ts: number) => ((ts - t0) / 1000).toFixed(0).padStart(5);
  const onMain = events.filter((e) => e.pid === navigation.pid && e.tid === tid && e.ph === "X" && e.ts >= t0 && e.ts <= end);
  const tasks = onMain.filter((e) => e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask");
  // Nested RunTask events (a task inside a task) are counted once, by their outermost.
  const outer = tasks.filter((task) => !tasks.some((other) => other !== task && other.ts <= task.ts && other.ts + (other.dur ?? 0) >= task.ts + (task.dur ?? 0) && (other.dur ?? 0) > (task.dur ?? 0)));
  const marks = events.filter((e) => e.pid === navigation.pid && e.cat.includes("blink.user_timing") && e.ts >= t0 && e.ts <= end && e.name !== "navigationStart");

  console.log(`\n--- cold open traced: editable with content at ${probe.editableWithContent?.toFixed(0)} ms ---`);
  console.log("probe:", Object.entries(probe).map(([k, v]) => `${k} ${typeof v === "number" ? v.toFixed(0) : v}`).join(", "));
  const lines: [number, string][] = [];
  let busy = 0;
  let small = 0;
  for (const task of outer) {
    const ms = (task.dur ?? 0) / 1000;
    busy += ms;
    if (ms < LISTED_TASK_MS) {
      small += ms;
      continue;
    }
    lines.push([task.ts, `${at(task.ts)} ms  task ${ms.toFixed(0).padStart(4)} ms  ${describe(task, onMain)}`]);
  }
  for (const mark of marks) lines.push([mark.ts, `${at(mark.ts)} ms  mark  ${mark.name}`]);
  lines.sort((a, b) => a[0] - b[0]);
  for (const [, line] of lines) console.log(line);
  console.log(`main thread busy ${busy.toFixed(0)} ms of ${((end - t0) / 1000).toFixed(0)} (tasks under ${LISTED_TASK_MS} ms: ${small.toFixed(0)} ms)`);

  // V8's sampling profiler: self time per function (and per script) in the same window.
  const nodes = new Map<number, CpuProfileNode>();
  const self = new Map<number, number>();
  // Inclusive time per function from the page's hydration (its session opened) to editable:
  // each sample counts once for every distinct function on its stack.
  const hydrated = marks.find((mark) => mark.name === "collab-session-opened")?.ts ?? end;
  const inclusive = new Map<string, number>();
  const keyOf = (frame: CpuProfileNode["callFrame"]) => `${frame.functionName || "(anonymous)"} ${short(frame.url)}:${frame.lineNumber + 1}`;
  // The main thread's profile: its "Profile" event gives the start time, and each chunk's
  // time deltas continue from the one before.
  const profile = events.find((e) => e.pid === navigation.pid && e.tid === tid && e.name === "Profile");
  let ts = Number((profile?.args?.data as { startTime?: number } | undefined)?.startTime ?? 0);
  for (const e of events) {
    if (e.pid !== navigation.pid || e.name !== "ProfileChunk" || e.id !== profile?.id) continue;
    const chunk = e.args?.data?.cpuProfile;
    for (const node of chunk?.nodes ?? []) nodes.set(node.id, node);
    const deltas = e.args?.data?.timeDeltas ?? [];
    chunk?.samples?.forEach((id, i) => {
      ts += deltas[i] ?? 0;
      const ms = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
      self.set(id, (self.get(id) ?? 0) + ms);
      if (ts < hydrated || ts > end) return;
      const seen = new Set<string>();
      for (let node = nodes.get(id); node; node = node.parent === undefined ? undefined : nodes.get(node.parent)) seen.add(keyOf(node.callFrame));
      for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    });
  }
  const byFunction = new Map<string, number>();
  const byScript = new Map<string, number>();
  for (const [id, ms] of self) {
    const frame = nodes.get(id)?.callFrame;
    if (!frame) continue;
    const key = `${frame.functionName || "(anonymous)"} ${short(frame.url)}:${frame.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    const script = short(frame.url) || frame.functionName;
    byScript.set(script, (byScript.get(script) ?? 0) + ms);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, ms]) => `  ${ms.toFixed(0).padStart(5)} ms  ${k}`)
      .join("\n");
  console.log("self time by script (whole trace):\n" + top(byScript, 12));
  console.log("self time by function (whole trace):\n" + top(byFunction, 25));
  console.log("total time by function, page hydrated → editable:\n" + top(inclusive, TOTAL_LISTED));
}
