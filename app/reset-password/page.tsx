// /reset-password?token=…: the page a reset link opens (mailed, or made by an admin). Says at
// once when the link cannot be used (expired, already used, incomplete); otherwise asks for the
// new password, which also signs the account out everywhere else.
import Link from "next/link";
import { getAccessContext } from "@/server/access/accessContext";
import { describeResetToken } from "@/server/auth/passwordReset";
import { MIN_PASSWORD_LENGTH } from "@/server/auth/createAuth";
import { ResetPasswordForm } from "./ResetPasswordForm";

// The token is in the URL: keep it out of the Referer of anything this page loads or links to.
export const metadata = { title: "Set a new password", referrer: "no-referrer" };

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function ResetPasswordPage({ searchParams }: Props) {
  const token = (await searchParams).token;
  const found = await describeResetToken(getAccessContext().auth, token);
  if (found.state !== "live") {
    return (
      <section className="auth-page">
        <h1>This reset link cannot be used</h1>
        <p className="error-text" role="alert" data-testid="reset-invalid">
          {found.state === "expired"
            ? "This password reset link has expired."
            : "This password reset link is not valid: it was already used, or it is incomplete."}
        </p>
        <p>
          <Link href="/forgot-password">Ask for a new link</Link> or <Link href="/sign-in">sign in</Link>.
        </p>
      </section>
    );
  }
  return (
    <section className="auth-page">
      <h1>Set a new password</h1>
      <p className="muted">
        For <strong data-testid="reset-email">{found.email}</strong>. Setting it signs this account out on every other device.
      </p>
      <ResetPasswordForm token={token as string} email={found.email} minLength={MIN_PASSWORD_LENGTH} />
    </section>
  );
}
