// For tests of the REST route handlers (app/api/...): the process-wide database and access
// context the handlers read, set up the way startServer does but without an http server,
// and real Requests carrying an account's session cookie.
import { loadConfig } from "../config.ts";
import { openDatabase } from "../db/openDatabase.ts";
import { closeDatabase, setDatabase } from "../db/getDatabase.ts";
import type { Database } from "../db/Database.ts";
import { createAccessContext, setAccessContext, type AccessContext } from "../access/accessContext.ts";
import { log } from "../log.ts";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "./testDatabase.ts";
import type { TestAccount } from "./accessFixtures.ts";
import { Rooms } from "../collab/Rooms.ts";
import { SqlDocumentStorage } from "../collab/storage/SqlDocumentStorage.ts";
import { DEFAULT_LIMITS } from "../collab/limits.ts";
import { clearLiveRooms, setLiveRooms } from "../collab/liveRooms.ts";

/** Origin the handlers see as their own (PUBLIC_URL); requests are sent from it. */
export const API_ORIGIN = "http://127.0.0.1:3999";

export interface ApiTestContext {
  database: Database;
  access: AccessContext;
  close(): Promise<void>;
}

/** A fresh database with the access context installed, as the route handlers expect it;
 *  `env` adds settings such as SIGNUP. Null when `kind` is unavailable (skip). */
export async function startApiContext(kind: DatabaseKind, env: Record<string, string> = {}): Promise<ApiTestContext | null> {
  process.env.LOG_LEVEL = "silent";
  const db: TestDatabase | null = await createTestDatabase(kind);
  if (!db) return null;
  const config = loadConfig({
    PUBLIC_URL: API_ORIGIN,
    DATABASE_URL: db.options.databaseUrl,
    DATA_DIR: db.options.dataDir,
    NODE_ENV: "production",
    ...env,
  });
  const database = await openDatabase(db.options);
  setDatabase(database);
  const access = await createAccessContext(database, config, log, null);
  setAccessContext(access);
  // Renames and imports reach the live Y.Doc through the collab server's rooms (no sockets here).
  const rooms = new Rooms({ storage: new SqlDocumentStorage(database.sql), log, limits: DEFAULT_LIMITS });
  setLiveRooms(rooms);
  return {
    database,
    access,
    async close() {
      await rooms.close();
      clearLiveRooms(rooms);
      await access.changes.close();
      await access.notifications.close();
      await closeDatabase();
      await db.drop();
    },
  };
}

/** A same-origin request to `path` as `account` (signed out when null), with a JSON body. */
export function apiRequest(
  path: string,
  {
    method = "GET",
    account = null,
    cookie = account?.cookie,
    body,
    origin = API_ORIGIN,
    from = origin,
  }: {
    method?: string;
    account?: TestAccount | null;
    /** The session cookie, when not `account`'s. */
    cookie?: string;
    body?: unknown;
    /** The server's address (API_ORIGIN for startApiContext's handlers). */
    origin?: string;
    /** The Origin header: the page the request comes from. */
    from?: string;
  } = {},
): Request {
  const headers: Record<string, string> = { origin: from };
  if (cookie) headers.cookie = cookie;
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Request(new URL(path, origin), {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** The second argument Next passes to a dynamic route's handler. */
export function routeParams<P extends Record<string, string>>(params: P): { params: Promise<P> } {
  return { params: Promise.resolve(params) };
}

/** The `{ error: { code, message } }` body of an error response. */
export async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  const body = (await response.json()) as { error?: { code: string; message: string } };
  if (!body.error) throw new Error(`expected an error body, got ${JSON.stringify(body)}`);
  return body.error;
}
