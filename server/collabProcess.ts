// Entry point for the collab server alone (no Next.js): /collab/<id>, /healthz, /readyz.
// Used by the crash tests to run the real server as a child process that can be SIGKILLed,
// and usable by a deployment that scales the collab tier separately.

import { runProcess } from "./runProcess.ts";

await runProcess({ withNext: false });
