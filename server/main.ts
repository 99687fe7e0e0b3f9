// Entry point: the app (Next.js pages and route handlers) and the collab WebSocket in one
// process, on one port. See runProcess.ts for start-up and shutdown.

import { runProcess } from "./runProcess.ts";

await runProcess({ withNext: true });
