// The mail for a mention or a reply (server/notifications/notify.ts): who, where, a short
// quote, and the link to the exact place.
import { composeMail, oneLine } from "./mailBody.ts";
import type { MailMessage } from "./Mailer.ts";

export function mentionMail(facts: { to: string; kind: "mention" | "reply"; actorName: string; title: string; excerpt: string; url: string }): MailMessage {
  const who = oneLine(facts.actorName);
  const title = oneLine(facts.title) || "Untitled";
  const what = facts.kind === "mention" ? `${who} mentioned you in “${title}”` : `${who} replied to your comment in “${title}”`;
  const quote = oneLine(facts.excerpt);
  return {
    kind: facts.kind,
    to: facts.to,
    subject: `${what} on Collab`,
    body: composeMail({
      paragraphs: quote ? [`${what}:`, `“${quote}”`] : [`${what}.`],
      action: { label: "Open it", url: facts.url },
      footer: ["You get this mail because someone mentioned you or replied to you on Collab."],
    }),
  };
}
