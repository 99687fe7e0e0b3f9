// Sign in with email and password.
import Link from "next/link";
import { redirect } from "next/navigation";
import { signedInUser } from "@/app/pageAccess";
import { AuthForm } from "../components/AuthForm";
import { safeNextPath } from "../components/safeNextPath";
import { OriginWarning } from "../components/OriginWarning";

export const metadata = { title: "Sign in" };

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  if (await signedInUser()) redirect(next);
  return (
    <section className="auth-page">
      <h1>Sign in</h1>
      <OriginWarning />
      {params.reset === "done" && (
        <p role="status" data-testid="reset-done">
          Your password was changed, and every other session signed out. Sign in with the new password.
        </p>
      )}
      <AuthForm mode="sign-in" next={next} />
      <p>
        <Link href="/forgot-password" data-testid="forgot-link">
          Forgot password?
        </Link>
      </p>
      <p className="muted">
        No account yet? <Link href={`/sign-up?next=${encodeURIComponent(next)}`}>Create one</Link>
      </p>
    </section>
  );
}
