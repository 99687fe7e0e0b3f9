"use client";
// What became of a new invitation: mailed ("Invitation sent to x"), or its link to copy — with
// the reason when the mail could not be sent. The invitation exists either way.
import { CopyableLink } from "./CopyableLink";

export type InvitationMail = { status: "sent" } | { status: "off" } | { status: "failed"; reason: string };

export interface CreatedInvitation {
  email: string;
  url: string;
  mail: InvitationMail;
}

/** `linkLabel`: how to introduce the link to copy (it names the email). */
export function InvitationResult({ invitation, linkLabel, testId }: { invitation: CreatedInvitation; linkLabel: string; testId: string }) {
  if (invitation.mail.status === "sent") {
    return (
      <p role="status" data-testid={`${testId}-sent`}>
        Invitation sent to {invitation.email}.
      </p>
    );
  }
  return (
    <>
      {invitation.mail.status === "failed" && (
        <p className="error-text" role="alert" data-testid={`${testId}-mail-error`}>
          Could not send the email: {invitation.mail.reason} The invitation was created: copy its link and pass it on.
        </p>
      )}
      <CopyableLink label={linkLabel} url={invitation.url} testId={testId} />
    </>
  );
}
