// Entry point for the collab server alone (no Next.js): /collab/<id>, /healthz, /readyz.
// Used by the crash tests to run the real server as a child process that can be SIGKILLed,
// and usable by a deployment that scales the collab tier separately.

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

const running = await startServer(config, { withNext: false });

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
