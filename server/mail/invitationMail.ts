// The invitation mail: who invites, to what (the workspace, or one document with a role), the
// link that opens the sign-up form, and when it stops working.
import type { GrantableRole } from "../../lib/access/roles.ts";
import { composeMail, oneLine } from "./mailBody.ts";
import type { MailMessage } from "./Mailer.ts";

const ROLE_VERBS: Record<GrantableRole, string> = { viewer: "view", commenter: "comment on", editor: "edit" };

export interface InvitationMailFacts {
  to: string;
  url: string;
  expiresAt: Date;
  /** The admin's account name; null: made on the command line. */
  inviterName: string | null;
  /** PUBLIC_URL's origin: where the workspace is. */
  publicUrl: string;
  document?: { title: string; role: GrantableRole } | null;
}

/** A date as people read it in a mail that may be opened anywhere: day and time in UTC. */
export function mailDate(date: Date): string {
  return `${date.toLocaleString("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" })} UTC`;
}

export function invitationMail(facts: InvitationMailFacts): MailMessage {
  const who = facts.inviterName ? oneLine(facts.inviterName) : "An admin";
  const host = new URL(facts.publicUrl).host;
  const what = facts.document
    ? `${who} invited you to ${ROLE_VERBS[facts.document.role]} the document “${oneLine(facts.document.title) || "Untitled"}” on Collab at ${host}.`
    : `${who} invited you to Collab, the shared document editor at ${host}.`;
  return {
    kind: "invitation",
    to: facts.to,
    subject: facts.document ? `${who} shared a document with you on Collab` : `${who} invited you to Collab`,
    body: composeMail({
      paragraphs: [what, `Create your account with this link. It works once, for ${facts.to}, until ${mailDate(facts.expiresAt)}.`],
      action: { label: "Accept the invitation", url: facts.url },
      footer: ["If you did not expect this invitation, you can ignore this mail: nothing happens unless the link is used."],
    }),
  };
}
