"use client";
// Sign-in and sign-up form, posting to Better Auth's endpoints (/api/auth/...). On success the
// session cookie is set by the response and we go where the user was headed.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiErrorMessage } from "./apiErrorMessage";
import { ErrorNote } from "./ErrorNote";

interface Props {
  mode: "sign-in" | "sign-up";
  /** Where to go afterwards (a same-site path). */
  next: string;
  /** Invitation secret for sign-up while SIGNUP=invite. */
  invite?: string | null;
  /** Prefilled email (from an invitation). */
  email?: string;
}

export function AuthForm({ mode, next, invite = null, email: initialEmail = "" }: Props) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const body =
        mode === "sign-up"
          ? { name: form.get("name"), email: form.get("email"), password: form.get("password") }
          : { email: form.get("email"), password: form.get("password") };
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (invite) headers["x-invite-token"] = invite;
      const response = await fetch(`/api/auth/${mode}/email`, { method: "POST", headers, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(await apiErrorMessage(response));
      router.replace(next);
      router.refresh();
    } catch (e) {
      setError(e instanceof Error ? e.message : "Something went wrong.");
      setBusy(false);
    }
  }

  return (
    <form className="auth-form" onSubmit={submit} data-testid={`${mode}-form`}>
      {mode === "sign-up" && (
        <label>
          Name
          <input name="name" required maxLength={40} autoComplete="name" data-testid="auth-name" />
        </label>
      )}
      <label>
        Email
        <input name="email" type="email" required autoComplete="email" defaultValue={initialEmail} data-testid="auth-email" />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          required
          minLength={8}
          autoComplete={mode === "sign-up" ? "new-password" : "current-password"}
          data-testid="auth-password"
        />
      </label>
      <button type="submit" className="button primary" disabled={busy} data-testid="auth-submit">
        {busy ? "Please wait…" : mode === "sign-up" ? "Create account" : "Sign in"}
      </button>
      <ErrorNote message={error} testId="auth-error" />
    </form>
  );
}
