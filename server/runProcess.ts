// What every entry point does around startServer: validate the environment (a bad variable
// stops start-up with a message naming it), keep stray rejections from killing the process,
// and stop gracefully on SIGTERM/SIGINT: close sockets with 1012, flush writes (at most
// SHUTDOWN_FLUSH_TIMEOUT_MS: during a database outage the clients keep what was not written),
// exit 0; a stop that still cannot finish is cut short at SHUTDOWN_DEADLINE_MS.

import { ConfigError, loadConfig } from "./config.ts";
import { DataDirInUseError } from "./db/dataDirLock.ts";
import { log } from "./log.ts";
import { startServer } from "./startServer.ts";
import { SHUTDOWN_CLOSE_WAIT_MS } from "./collab/createCollabServer.ts";
import { SHUTDOWN_FLUSH_TIMEOUT_MS } from "./collab/Rooms.ts";

/** A graceful stop that has not finished after this long is cut short (exit 1): the collab
 *  server's own waits (clients' close handshakes, then the bounded flush) plus time to close
 *  Redis and the database, which a dead network could otherwise stretch without end. */
export const SHUTDOWN_DEADLINE_MS = SHUTDOWN_CLOSE_WAIT_MS + SHUTDOWN_FLUSH_TIMEOUT_MS + 5_000;

/** Runs the server as this process's main job; `withNext: false` serves only /collab. */
export async function runProcess({ withNext }: { withNext: boolean }): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  // A promise rejected with nobody listening is a bug; log it loudly, but do not take every
  // connected client down with the process for it.
  process.on("unhandledRejection", (reason) => log.error("unhandled rejection", { error: String(reason) }));

  let running;
  try {
    running = await startServer(config, { withNext });
  } catch (error) {
    // Another process holds the embedded database: say so plainly, not as a crash.
    if (error instanceof DataDirInUseError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info("shutting down", { signal });
      setTimeout(() => {
        log.error("shutdown did not finish in time; exiting", { deadlineMs: SHUTDOWN_DEADLINE_MS });
        process.exit(1);
      }, SHUTDOWN_DEADLINE_MS).unref();
      running.close().then(
        () => process.exit(0),
        (error) => {
          log.error("shutdown failed", { error: String(error) });
          process.exit(1);
        },
      );
    });
  }
}
