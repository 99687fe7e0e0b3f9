// Better Auth's endpoints (sign-up, sign-in, sign-out, session) under /api/auth/*.
import { getAccessContext } from "@/server/access/accessContext";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// The auth instance is built at start-up (it needs the database for its secret), so the
// handlers look it up per request rather than at import.
function handle(request: Request): Promise<Response> {
  return getAccessContext().auth.handler(request);
}

export { handle as GET, handle as POST };
