// The notification mail when someone gives an account a role on a document (Share dialog →
// People): who shared what, what they can do there, and the link to open it.
import type { GrantableRole } from "../../lib/access/roles.ts";
import { composeMail, oneLine } from "./mailBody.ts";
import type { MailMessage } from "./Mailer.ts";

const CAN_DO: Record<GrantableRole, string> = { viewer: "view it", commenter: "view it and comment", editor: "edit it" };

export function sharedWithYouMail(facts: { to: string; sharerName: string; title: string; role: GrantableRole; url: string }): MailMessage {
  const who = oneLine(facts.sharerName);
  return {
    kind: "shared-with-you",
    to: facts.to,
    subject: `${who} shared a document with you on Collab`,
    body: composeMail({
      paragraphs: [`${who} shared “${oneLine(facts.title) || "Untitled"}” with you: you can ${CAN_DO[facts.role]}.`],
      action: { label: "Open the document", url: facts.url },
      footer: ["You get this mail because someone gave your Collab account a role on a document."],
    }),
  };
}
