"use client";
// The admin area's Email section: whether invitations and reset links are mailed (SMTP_URL,
// shown without its password) or shown to copy, and the latest mail that failed, with why —
// so a wrong SMTP_URL is seen here, not only in the log.
import { useEffect, useState } from "react";
import { apiErrorMessage } from "@/app/components/apiErrorMessage";
import { ErrorNote } from "@/app/components/ErrorNote";

interface Status {
  enabled: boolean;
  server: string | null;
  from: string | null;
  lastFailure: { at: string; reason: string } | null;
}

/** `refreshKey`: changes when something may have sent mail (an invitation), to read the status again. */
export function MailStatus({ refreshKey }: { refreshKey: number }) {
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void (async () => {
      const response = await fetch("/api/admin/mail", { cache: "no-store" });
      if (response.ok) setStatus((await response.json()) as Status);
      else setError(await apiErrorMessage(response));
    })();
  }, [refreshKey]);

  return (
    <>
      <h2 id="mail-heading">Email</h2>
      <ErrorNote message={error} />
      {status && !status.enabled && (
        <p className="muted" data-testid="mail-off">
          Email is off (SMTP_URL is not set): invitation and password-reset links are shown here to copy and pass on.
        </p>
      )}
      {status?.enabled && (
        <p className="muted" data-testid="mail-on">
          Invitations and password-reset links are mailed from {status.from} through {status.server}.
        </p>
      )}
      {status?.lastFailure && (
        <p className="error-text" role="alert" data-testid="mail-failure">
          The last mail could not be sent ({new Date(status.lastFailure.at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}):{" "}
          {status.lastFailure.reason} Check SMTP_URL and MAIL_FROM.
        </p>
      )}
    </>
  );
}
