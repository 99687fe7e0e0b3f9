// The guard every /api/admin/... handler starts with: same-origin for changes, a signed-in
// workspace admin, or the response that refuses the request.
import type { SignedInUser } from "../access/requestAccess.ts";
import { isCrossOrigin } from "../access/requestAccess.ts";
import { accessDenied, crossOriginRefused, requestUser } from "../documents/documentHttp.ts";

export async function guardAdminRequest(
  request: Request,
  { mutation = false } = {},
): Promise<{ ok: true; admin: SignedInUser } | { ok: false; response: Response }> {
  if (mutation && isCrossOrigin(request)) return { ok: false, response: crossOriginRefused() };
  const lookup = await requestUser(request);
  if (!lookup.ok) return lookup;
  const user = lookup.user;
  if (!user || user.role !== "admin") return { ok: false, response: accessDenied(user !== null) };
  return { ok: true, admin: user };
}
