// The app's real server for integration tests: config from env-style variables → startServer
// (real access policy, Better Auth over HTTP, the collab endpoint; no Next.js) on a free port,
// against a test database.
import { loadConfig } from "../config.ts";
import { startServer, type RunningServer } from "../startServer.ts";
import { freePort } from "./collabChildProcess.ts";

export async function startAppTestServer(
  database: { databaseUrl?: string; dataDir?: string },
  env: Record<string, string> = {},
  options: Omit<NonNullable<Parameters<typeof startServer>[1]>, "withNext"> = {},
): Promise<RunningServer> {
  const port = await freePort();
  const config = loadConfig({
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: database.databaseUrl,
    DATA_DIR: database.dataDir,
    NODE_ENV: "production",
    ...env,
  });
  return startServer(config, { ...options, withNext: false });
}
