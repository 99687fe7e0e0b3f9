// GET /api/admin/settings → {signup}; PATCH {signup: "open" | "invite"}: the workspace's
// sign-up mode (admins only). Stored in the database, so every instance follows it.
import { getAccessContext } from "@/server/access/accessContext";
import { guardAdminRequest } from "@/server/admin/adminHttp";
import { isSignupMode } from "@/server/admin/SignupMode";
import { errorResponse, jsonResponse, readJsonBody } from "@/server/documents/documentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const guard = await guardAdminRequest(request);
  if (!guard.ok) return guard.response;
  return jsonResponse({ signup: await getAccessContext().signup.current() });
}

export async function PATCH(request: Request): Promise<Response> {
  const guard = await guardAdminRequest(request, { mutation: true });
  if (!guard.ok) return guard.response;
  const body = await readJsonBody(request);
  if (body === null || !isSignupMode(body.signup)) return errorResponse("bad_request", "signup must be open or invite.");
  const { signup } = getAccessContext();
  await signup.set(body.signup);
  return jsonResponse({ signup: body.signup });
}
