// Entry point: validate config, start the server, stop gracefully on SIGTERM/SIGINT.

import { ConfigError, loadConfig } from "./config.ts";
import { log } from "./log.ts";
import { startServer } from "./startServer.ts";

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

const running = await startServer(config);

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
