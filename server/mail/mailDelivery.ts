// What an API answers about a mail it was asked to send, so the page can say "sent to x", or
// show the link to copy and why it was not mailed.
import type { Mailer, MailMessage } from "./Mailer.ts";

export type MailDelivery = { status: "sent" } | { status: "off" } | { status: "failed"; reason: string };

/** Sends `message` if email is on; never throws (the Mailer logs failures). */
export async function deliver(mailer: Mailer, message: MailMessage): Promise<MailDelivery> {
  if (!mailer.enabled) return { status: "off" };
  const outcome = await mailer.send(message);
  return outcome.sent ? { status: "sent" } : { status: "failed", reason: outcome.reason };
}
