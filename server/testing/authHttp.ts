// Better Auth's endpoints over real HTTP, as the browser's forms call them, for tests against
// a running server.
import assert from "node:assert/strict";
import type { RunningServer } from "../startServer.ts";

export const TEST_PASSWORD = "correct horse battery";

/** A client of /api/auth/... on `server`, sending the server's own Origin. */
export function authClient(server: RunningServer) {
  const origin = `http://127.0.0.1:${server.port}`;
  return {
    origin,
    async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
      return fetch(`${origin}/api/auth${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", origin, ...headers },
        body: JSON.stringify(body),
      });
    },
  };
}

/** `name=value` of the session cookie a response set (asserting there is one). */
export function sessionCookie(response: Response): string {
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0];
  assert.match(cookie, /session_token=/, "a session cookie is set");
  return cookie;
}
