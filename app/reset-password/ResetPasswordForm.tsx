"use client";
// The new password, twice; POST /api/auth/reset-password consumes the token (once). Then signs
// in with the new password and goes home; if that sign-in is refused (throttled, deactivated),
// goes to the sign-in page, which says the password was changed.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import Link from "next/link";
import { apiErrorMessage } from "@/app/components/apiErrorMessage";

const JSON_HEADERS = { "content-type": "application/json" };

export function ResetPasswordForm({ token, email, minLength }: { token: string; email: string; minLength: number }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The token was refused: offer a new link rather than another try. */
  const [tokenDead, setTokenDead] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password"));
    if (password !== String(form.get("confirm"))) {
      setError("The two passwords are not the same.");
      return;
    }
    setBusy(true);
    setError(null);
    const response = await fetch("/api/auth/reset-password", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify({ token, newPassword: password }) });
    if (!response.ok) {
      const body = (await response.clone().json().catch(() => ({}))) as { code?: string };
      if (body.code === "INVALID_TOKEN") {
        setTokenDead(true);
        setError("This reset link is no longer valid: it expired, or it was already used.");
      } else setError(await apiErrorMessage(response));
      setBusy(false);
      return;
    }
    const signedIn = await fetch("/api/auth/sign-in/email", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify({ email, password }) });
    router.replace(signedIn.ok ? "/" : "/sign-in?reset=done");
    router.refresh();
  }

  return (
    <form className="auth-form" onSubmit={submit} data-testid="reset-form">
      <label>
        New password
        <input name="password" type="password" required minLength={minLength} autoComplete="new-password" data-testid="reset-password" />
      </label>
      <label>
        New password again
        <input name="confirm" type="password" required minLength={minLength} autoComplete="new-password" data-testid="reset-confirm" />
      </label>
      <p className="muted">At least {minLength} characters.</p>
      <button type="submit" className="button primary" disabled={busy || tokenDead} data-testid="reset-submit">
        {busy ? "Please wait…" : "Set password"}
      </button>
      {error && (
        <p className="error-text" role="alert" data-testid="reset-error">
          {error} {tokenDead && <Link href="/forgot-password">Ask for a new link.</Link>}
        </p>
      )}
    </form>
  );
}
