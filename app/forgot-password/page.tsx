// "Forgot password?": with email on, asks for the address and mails a reset link (the answer
// is the same whether or not an account has that email). With email off, says to ask an admin,
// who can make a reset link in Settings.
import Link from "next/link";
import { getAccessContext } from "@/server/access/accessContext";
import { ForgotPasswordForm } from "./ForgotPasswordForm";

// Reads nothing of the request, so Next would otherwise render it once at build time, without the
// mail setting (server/documents/withDocument.ts explains the rule).
export const dynamic = "force-dynamic";
export const metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  const { mailer } = getAccessContext();
  return (
    <section className="auth-page">
      <h1>Forgot your password?</h1>
      {mailer.enabled ? (
        <ForgotPasswordForm />
      ) : (
        <p data-testid="forgot-ask-admin">
          This server does not send email. Ask an admin of this workspace for a password reset link: they can make one in
          Settings, under Members.
        </p>
      )}
      <p className="muted">
        Remembered it? <Link href="/sign-in">Sign in</Link>
      </p>
    </section>
  );
}
