// Sign in with email and password.
import Link from "next/link";
import { redirect } from "next/navigation";
import { signedInUser } from "@/app/pageAccess";
import { AuthForm } from "../components/AuthForm";
import { safeNextPath } from "../components/safeNextPath";
import { OriginWarning } from "../components/OriginWarning";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function SignInPage({ searchParams }: Props) {
  const next = safeNextPath((await searchParams).next);
  if (await signedInUser()) redirect(next);
  return (
    <section className="auth-page">
      <h1>Sign in</h1>
      <OriginWarning />
      <AuthForm mode="sign-in" next={next} />
      <p className="muted">
        No account yet? <Link href={`/sign-up?next=${encodeURIComponent(next)}`}>Create one</Link>
      </p>
    </section>
  );
}
