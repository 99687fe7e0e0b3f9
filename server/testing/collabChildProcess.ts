// Runs the real collab server (server/collabProcess.ts) as a child process on a fixed port,
// so a test can SIGKILL it mid-write and start it again where clients reconnect.

import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ENTRY = path.join(REPO_ROOT, "server/collabProcess.ts");

/** How long a start may take: a fresh PGlite directory is initialised and migrated (~10 s). */
export const CHILD_START_TIMEOUT_MS = 45_000;

/** A free TCP port on 127.0.0.1 (bound then released; fine for tests on one machine). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface CollabChild {
  readonly port: number;
  /** ws://127.0.0.1:<port>/collab */
  readonly wsUrl: string;
  readonly httpUrl: string;
  readonly pid: number | undefined;
  /** stderr of the process so far (error logs), for failure messages. */
  readonly stderr: string;
  /** Sends `signal` and resolves with the exit code (null when killed by a signal). */
  stop(signal: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly exited: boolean;
}

/** Starts server/collabProcess.ts with `env` on `port`; resolves once /readyz answers 200. */
export async function startCollabChild(
  port: number,
  env: { databaseUrl?: string; dataDir: string; extra?: Record<string, string> },
): Promise<CollabChild> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: env.dataDir,
    DATABASE_URL: env.databaseUrl ?? "",
    // Warnings and errors go to stderr, which is kept for failure messages; info is dropped.
    LOG_LEVEL: "info",
    NODE_ENV: "production",
    ...env.extra,
  };
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", ENTRY], {
    cwd: REPO_ROOT,
    env: childEnv,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
  });
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });

  const httpUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + CHILD_START_TIMEOUT_MS;
  for (;;) {
    if (exitInfo) throw new Error(`collab child exited during start-up (${JSON.stringify(exitInfo)}):\n${stderr}`);
    try {
      const response = await fetch(`${httpUrl}/readyz`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`collab child not ready after ${CHILD_START_TIMEOUT_MS} ms:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    port,
    wsUrl: `ws://127.0.0.1:${port}/collab`,
    httpUrl,
    pid: child.pid,
    get stderr() {
      return stderr;
    },
    get exited() {
      return exitInfo !== null;
    },
    async stop(signal, timeoutMs = 20_000) {
      if (!exitInfo) child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`collab child did not exit within ${timeoutMs} ms after ${signal}:\n${stderr}`));
        }, timeoutMs);
      });
      try {
        return await Promise.race([exited, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
