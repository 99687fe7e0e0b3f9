// What a signed-out visitor sees at / once the workspace has its admin: what this is and how
// to get in, rather than a bare form.
import Link from "next/link";

export function Landing({ signupOpen }: { signupOpen: boolean }) {
  return (
    <section className="centered-message" data-testid="landing">
      <h1>Documents, written together</h1>
      <p>
        This is your team&apos;s own document editor: write together in real time, see each other&apos;s cursors, and
        share links. Everything stays on this server.
      </p>
      <p>
        <Link href="/sign-in" className="button primary" data-testid="landing-sign-in">
          Sign in
        </Link>
      </p>
      {signupOpen ? (
        <p className="muted">
          New here? <Link href="/sign-up">Create an account</Link>.
        </p>
      ) : (
        <p className="muted" data-testid="landing-invitation">
          New here? Accounts are by invitation: ask your admin for an invitation link.
        </p>
      )}
    </section>
  );
}
