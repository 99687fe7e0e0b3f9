// GET /api/admin/settings → {signup}; PATCH {signup: "open" | "invite"}: the workspace's
// sign-up mode (admins only). Stored in the database, so every instance follows it.
import { getAccessContext } from "@/server/access/accessContext";
import { guardAdminRequest } from "@/server/admin/adminHttp";
import { z } from "zod";
import { SIGNUP_MODES } from "@/server/admin/SignupMode";
import { jsonResponse } from "@/server/documents/documentHttp";
import { readBody } from "@/server/http/requestBody";

const SIGNUP_MESSAGE = "signup must be open or invite.";
const SettingsBody = z.object({ signup: z.enum(SIGNUP_MODES, { error: SIGNUP_MESSAGE }) }, { error: SIGNUP_MESSAGE });

export async function GET(request: Request): Promise<Response> {
  const guard = await guardAdminRequest(request);
  if (!guard.ok) return guard.response;
  return jsonResponse({ signup: await getAccessContext().signup.current() });
}

export async function PATCH(request: Request): Promise<Response> {
  const guard = await guardAdminRequest(request, { mutation: true });
  if (!guard.ok) return guard.response;
  const read = await readBody(request, SettingsBody);
  if (!read.ok) return read.response;
  const { signup } = getAccessContext();
  await signup.set(read.body.signup);
  return jsonResponse({ signup: read.body.signup });
}
