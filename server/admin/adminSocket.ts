// The admin command line without downtime. While the server runs, `npm run admin` hands its
// command to the server over a Unix socket in DATA_DIR/admin/ (a directory only the server's
// user may enter, mode 0700), and the server runs it on its own database connection: on the
// embedded database no second process may open the data directory, and on any database the
// server can close affected sockets at once. With the server down the CLI opens the database
// itself (scripts/admin.ts).
//
// Protocol: the client writes one JSON line {"args": [...]}; the server answers JSON lines
// {"line": "..."} for each line of output, then {"done": true} or {"error": "...", "usage": bool}.
import { chmod, mkdir, rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import type { Logger } from "../log.ts";
import { runAdminCommand, UsageError, type AdminContext } from "./adminCommands.ts";

/** The socket's path for a data directory. */
export function adminSocketPath(dataDir: string): string {
  return path.join(path.resolve(dataDir), "admin", "admin.sock");
}

/** A command line is small; anything longer is not one. */
const MAX_REQUEST_BYTES = 64 * 1024;

export interface AdminSocket {
  close(): Promise<void>;
}

export async function startAdminSocket(
  dataDir: string,
  context: Omit<AdminContext, "print">,
  log: Logger,
): Promise<AdminSocket> {
  const socketPath = adminSocketPath(dataDir);
  const directory = path.dirname(socketPath);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  await chmod(directory, 0o700); // mkdir keeps an existing directory's mode
  // A socket file left by a server that crashed: only one server runs per data directory (the
  // data-dir lock on PGlite; on PostgreSQL each instance has its own DATA_DIR or shares this one
  // and the last started answers, which is equivalent: they share the database).
  await rm(socketPath, { force: true });

  const server = net.createServer((socket) => {
    let buffered = "";
    socket.setEncoding("utf8");
    socket.on("error", () => socket.destroy());
    socket.on("data", (chunk: string) => {
      buffered += chunk;
      if (buffered.length > MAX_REQUEST_BYTES) {
        socket.end(JSON.stringify({ error: "request too large" }) + "\n");
        return;
      }
      const newline = buffered.indexOf("\n");
      if (newline < 0) return;
      socket.removeAllListeners("data");
      void serve(socket, buffered.slice(0, newline));
    });
  });

  async function serve(socket: net.Socket, requestLine: string): Promise<void> {
    const send = (message: object) => socket.write(JSON.stringify(message) + "\n");
    let args: unknown;
    try {
      args = (JSON.parse(requestLine) as { args?: unknown }).args;
    } catch {
      args = undefined;
    }
    if (!Array.isArray(args) || !args.every((arg) => typeof arg === "string")) {
      socket.end(JSON.stringify({ error: "expected {\"args\": [strings]}" }) + "\n");
      return;
    }
    try {
      await runAdminCommand({ ...context, print: (line) => send({ line }) }, args);
      log.info("admin command run over the admin socket", { command: args[0] });
      socket.end(JSON.stringify({ done: true }) + "\n");
    } catch (error) {
      const usage = error instanceof UsageError;
      if (!usage) log.error("admin command failed", { command: args[0], error: error instanceof Error ? error.message : String(error) });
      socket.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error), usage }) + "\n");
    }
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(socketPath, () => resolve());
    });
    await chmod(socketPath, 0o600);
  } catch (error) {
    // E.g. a DATA_DIR so deep that the path passes the 107-byte limit of Unix sockets. The
    // server runs on; only the CLI must then wait for it to stop (as before this socket).
    log.warn("admin socket unavailable: `npm run admin` needs the server stopped", {
      path: socketPath,
      error: error instanceof Error ? error.message : String(error),
    });
    return { close: async () => undefined };
  }
  return {
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(socketPath, { force: true });
    },
  };
}

/** The client side: runs `args` on the server listening at `socketPath`, printing its output.
 *  Resolves null when no server listens there (the caller then opens the database itself). */
export function runOverAdminSocket(
  socketPath: string,
  args: string[],
  print: (line: string) => void,
): Promise<{ error: string; usage: boolean } | { done: true } | null> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let connected = false;
    let buffered = "";
    let outcome: { error: string; usage: boolean } | { done: true } | null = null;
    socket.setEncoding("utf8");
    socket.on("connect", () => {
      connected = true;
      socket.write(JSON.stringify({ args }) + "\n");
    });
    socket.on("data", (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const message = JSON.parse(buffered.slice(0, newline)) as { line?: string; done?: boolean; error?: string; usage?: boolean };
        buffered = buffered.slice(newline + 1);
        if (typeof message.line === "string") print(message.line);
        else if (message.done) outcome = { done: true };
        else if (typeof message.error === "string") outcome = { error: message.error, usage: message.usage === true };
      }
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (!connected && (error.code === "ENOENT" || error.code === "ECONNREFUSED")) resolve(null);
      else reject(error);
    });
    socket.on("close", () => {
      if (connected) resolve(outcome ?? { error: "the server closed the admin connection without an answer", usage: false });
    });
  });
}

/** Whether a server listens on `socketPath` (connects and hangs up without a command): the
 *  test of "is the server running on this DATA_DIR" for commands that need it stopped. */
export function adminSocketAnswers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    // ENOENT (no socket file) or ECONNREFUSED (a file left by a crashed server): nobody listens.
    socket.once("error", () => resolve(false));
  });
}
