// GET /api/admin/invitations: pending invitations (admins only).
// POST /api/admin/invitations {email, workspaceRole?, documentId?, documentRole?}: a new
// invitation; answers its link (shown once: only its hash is stored) and, when email is on,
// mails it to the invitee: `mail` is {status: "sent"}, {status: "off"} or {status: "failed",
// reason}. The invitation exists whatever happened to the mail.
import { isGrantableRole } from "@/lib/access/roles";
import { isValidDocumentId } from "@/lib/documentId";
import { getAccessContext } from "@/server/access/accessContext";
import { guardAdminRequest } from "@/server/admin/adminHttp";
import { createInvitation, invitationUrl, listPendingInvitations, type PendingInvitation } from "@/server/auth/invitations";
import { invitationMail } from "@/server/mail/invitationMail";
import { deliver } from "@/server/mail/mailDelivery";
import { errorResponse, jsonResponse, readJsonBody, refuseControlCharacters, storeUnavailable } from "@/server/documents/documentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;
const EMAIL_MAX_CHARS = 254;

function invitationJson(invitation: PendingInvitation) {
  return { ...invitation, createdAt: invitation.createdAt.toISOString(), expiresAt: invitation.expiresAt.toISOString() };
}

export async function GET(request: Request): Promise<Response> {
  const guard = await guardAdminRequest(request);
  if (!guard.ok) return guard.response;
  try {
    const invitations = await listPendingInvitations(getAccessContext().prisma);
    return jsonResponse({ invitations: invitations.map(invitationJson) });
  } catch (error) {
    return storeUnavailable("invitation list", error);
  }
}

export async function POST(request: Request): Promise<Response> {
  const guard = await guardAdminRequest(request, { mutation: true });
  if (!guard.ok) return guard.response;
  const body = await readJsonBody(request);
  if (body === null || typeof body.email !== "string") return errorResponse("bad_request", "email is required.");
  const refused = refuseControlCharacters("email", body.email);
  if (refused) return refused;
  const email = body.email.trim().toLowerCase();
  if (email.length > EMAIL_MAX_CHARS || !EMAIL_SHAPE.test(email)) return errorResponse("bad_request", "That is not an email address.");
  const workspaceRole = body.workspaceRole ?? null;
  if (workspaceRole !== null && !isGrantableRole(workspaceRole)) {
    return errorResponse("bad_request", "workspaceRole must be viewer, commenter, editor or null.");
  }
  const { prisma, publicUrl, mailer } = getAccessContext();
  let document: { id: string; role: "viewer" | "commenter" | "editor"; title: string } | null = null;
  if (body.documentId !== undefined && body.documentId !== null) {
    if (typeof body.documentId !== "string" || !isValidDocumentId(body.documentId)) return errorResponse("invalid_id", "Invalid document id.");
    if (!isGrantableRole(body.documentRole)) return errorResponse("bad_request", "documentRole must be viewer, commenter or editor.");
    const found = await prisma.document.findFirst({ where: { id: body.documentId, trashedAt: null }, select: { id: true, title: true } });
    if (!found) return errorResponse("not_found", "No such document (or it is in the Trash).");
    document = { id: found.id, role: body.documentRole, title: found.title };
  }
  if (await prisma.user.findUnique({ where: { email }, select: { id: true } })) {
    return errorResponse("conflict", "That email already has an account: share with it directly.");
  }
  const invitation = await createInvitation(prisma, email, { workspaceRole, invitedById: guard.admin.id, document });
  const url = invitationUrl(publicUrl, invitation.secret, email);
  const mail = await deliver(mailer, invitationMail({ to: email, url, expiresAt: invitation.expiresAt, inviterName: guard.admin.name, publicUrl, document }));
  return jsonResponse({ invitation: { id: invitation.id, email, expiresAt: invitation.expiresAt.toISOString(), url }, mail }, 201);
}
