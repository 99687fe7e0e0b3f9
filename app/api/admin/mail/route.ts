// GET /api/admin/mail → {enabled, server, from, lastFailure}: whether this server sends email
// (SMTP_URL, shown without its password) and the latest mail that could not be sent, with why:
// the admin area shows it, so a wrong SMTP_URL is seen, not only logged.
import { getAccessContext } from "@/server/access/accessContext";
import { guardAdminRequest } from "@/server/admin/adminHttp";
import { jsonResponse } from "@/server/documents/documentHttp";

export async function GET(request: Request): Promise<Response> {
  const guard = await guardAdminRequest(request);
  if (!guard.ok) return guard.response;
  return jsonResponse(getAccessContext().mailer.status());
}
