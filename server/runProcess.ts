// What every entry point does around startServer: validate the environment (a bad variable
// stops start-up with a message naming it), keep stray rejections from killing the process,
// and stop gracefully on SIGTERM/SIGINT (flush writes, close sockets with 1012, exit 0).

import { ConfigError, loadConfig } from "./config.ts";
import { log } from "./log.ts";
import { startServer } from "./startServer.ts";

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

  const running = await startServer(config, { withNext });

  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info("shutting down", { signal });
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
