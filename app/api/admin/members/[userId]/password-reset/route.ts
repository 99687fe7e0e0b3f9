// POST /api/admin/members/<userId>/password-reset: an admin makes a password-reset link for an
// account, to pass on by hand (for when email is off, or mail does not reach the person).
// Answers {url, expiresAt}; the link works once, for a day, and using it signs the account out
// everywhere else. Shown once: only its hash is stored.
import { getAccessContext } from "@/server/access/accessContext";
import { guardAdminRequest } from "@/server/admin/adminHttp";
import { createResetLink } from "@/server/auth/passwordReset";
import { errorResponse, jsonResponse } from "@/server/documents/documentHttp";
import { log } from "@/server/log";

export async function POST(request: Request, { params }: { params: Promise<{ userId: string }> }): Promise<Response> {
  const { userId } = await params;
  const guard = await guardAdminRequest(request, { mutation: true });
  if (!guard.ok) return guard.response;
  const { prisma, auth, publicUrl } = getAccessContext();
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, deactivatedAt: true } });
  if (!user) return errorResponse("not_found", "No such account.");
  if (user.deactivatedAt) return errorResponse("conflict", "This account is deactivated: reactivate it first, then make a reset link.");
  const link = await createResetLink(auth, publicUrl, user.id);
  log.info("password reset link made by an admin", { admin: guard.admin.id, user: user.id });
  return jsonResponse({ url: link.url, expiresAt: link.expiresAt.toISOString() }, 201);
}
