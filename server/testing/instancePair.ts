// Two app instances (no Next.js) of one deployment: one PostgreSQL database (PGlite is one
// process's only) and one Redis, instance two reaching Redis through a proxy the test can cut.
import type { RunningServer } from "../startServer.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import { createTestDatabase, type TestDatabase } from "./testDatabase.ts";
import { startAppTestServer } from "./startAppTestServer.ts";
import { TcpProxy } from "./TcpProxy.ts";

export interface InstancePair {
  db: TestDatabase;
  one: RunningServer;
  two: RunningServer;
  /** Between instance two and Redis. */
  redisProxy: TcpProxy;
  close(): Promise<void>;
}

export async function startInstancePair(redisUrl: string, env: Record<string, string> = {}): Promise<InstancePair> {
  const db = (await createTestDatabase("postgres"))!;
  const target = new URL(redisUrl);
  const redisProxy = await TcpProxy.start(target.hostname, Number(target.port || 6379));
  const one = await startAppTestServer(db.options, { ...env, REDIS_URL: redisUrl });
  const two = await startAppTestServer(db.options, { ...env, REDIS_URL: `redis://127.0.0.1:${redisProxy.port}` });
  return {
    db,
    one,
    two,
    redisProxy,
    async close() {
      redisProxy.restore();
      await two.close();
      await one.close();
      await closeDatabase();
      await redisProxy.close();
      await db.drop();
    },
  };
}
