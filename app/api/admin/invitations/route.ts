// GET /api/admin/invitations: pending invitations (admins only).
// POST /api/admin/invitations {email, workspaceRole?, documentId?, documentRole?}: a new
// invitation; answers its link (shown once: only its hash is stored) and, when email is on,
// mails it to the invitee: `mail` is {status: "sent"}, {status: "off"} or {status: "failed",
// reason}. The invitation exists whatever happened to the mail.
import { z } from "zod";
import { GRANTABLE_ROLES, isGrantableRole } from "@/lib/access/roles";
import { isValidDocumentId } from "@/lib/documentId";
import { getAccessContext } from "@/server/access/accessContext";
import { guardAdminRequest } from "@/server/admin/adminHttp";
import { createInvitation, invitationUrl, listPendingInvitations, type PendingInvitation } from "@/server/auth/invitations";
import { invitationMail } from "@/server/mail/invitationMail";
import { deliver } from "@/server/mail/mailDelivery";
import { errorResponse, jsonResponse, storeUnavailable } from "@/server/documents/documentHttp";
import { readBody, withoutControlCharacters } from "@/server/http/requestBody";

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;
const EMAIL_MAX_CHARS = 254;

const EMAIL_REQUIRED = "email is required.";
const NOT_AN_EMAIL = "That is not an email address.";
const InvitationBody = z.object(
  {
    email: z
      .string({ error: EMAIL_REQUIRED })
      .check(withoutControlCharacters("email"))
      .trim()
      .toLowerCase()
      .max(EMAIL_MAX_CHARS, { error: NOT_AN_EMAIL })
      .regex(EMAIL_SHAPE, { error: NOT_AN_EMAIL }),
    workspaceRole: z
      .enum(GRANTABLE_ROLES, { error: "workspaceRole must be viewer, commenter, editor or null." })
      .nullish()
      .transform((role) => role ?? null),
    // Checked by hand below: a malformed id answers invalid_id, and the role matters only with a document.
    documentId: z.unknown().optional(),
    documentRole: z.unknown().optional(),
  },
  { error: EMAIL_REQUIRED },
);

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
  const read = await readBody(request, InvitationBody);
  if (!read.ok) return read.response;
  const { email, workspaceRole, ...body } = read.body;
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
