"use client";
// Asks Better Auth to mail a reset link (POST /api/auth/request-password-reset). Its answer,
// and so this page's, is the same whether or not the email has an account.
import { useState, type FormEvent } from "react";
import { apiErrorMessage } from "@/app/components/apiErrorMessage";
import { ErrorNote } from "@/app/components/ErrorNote";

export function ForgotPasswordForm() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email")).trim();
    setBusy(true);
    setError(null);
    try {
      const response = await fetch("/api/auth/request-password-reset", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email }),
      });
      if (!response.ok) throw new Error(await apiErrorMessage(response));
      setSentTo(email);
    } catch (e) {
      setError(e instanceof Error ? e.message : "Something went wrong.");
    } finally {
      setBusy(false);
    }
  }

  if (sentTo !== null) {
    return (
      <p role="status" data-testid="forgot-sent">
        If an account has the email {sentTo}, a link to set a new password is on its way. It works once, for an hour. Nothing
        arrived after a few minutes? Check the spam folder, or ask an admin.
      </p>
    );
  }
  return (
    <form className="auth-form" onSubmit={submit} data-testid="forgot-form">
      <p className="muted">Enter the email of your account: we will mail you a link to set a new password.</p>
      <label>
        Email
        <input name="email" type="email" required autoComplete="email" data-testid="forgot-email" />
      </label>
      <button type="submit" className="button primary" disabled={busy} data-testid="forgot-submit">
        {busy ? "Please wait…" : "Mail me a reset link"}
      </button>
      <ErrorNote message={error} testId="forgot-error" />
    </form>
  );
}
