// The password-reset mail: the link to the page that sets a new password, and how long it works.
import { composeMail, oneLine } from "./mailBody.ts";
import type { MailMessage } from "./Mailer.ts";

export function passwordResetMail({ to, name, url, validMinutes }: { to: string; name: string; url: string; validMinutes: number }): MailMessage {
  return {
    kind: "password-reset",
    to,
    subject: "Reset your Collab password",
    body: composeMail({
      paragraphs: [
        `Hello ${oneLine(name)},`,
        `Someone (hopefully you) asked to reset the password of your Collab account. The link works once, for the next ${validMinutes} minutes. Setting a new password signs you out everywhere else.`,
      ],
      action: { label: "Set a new password", url },
      footer: ["If you did not ask for this, ignore this mail: your password stays as it is."],
    }),
  };
}
