// Create an account. The very first one becomes the workspace admin; after that SIGNUP
// decides: "open" lets anyone in, "invite" (the default) needs an invitation link.
import Link from "next/link";
import { redirect } from "next/navigation";
import { signedInUser } from "@/app/pageAccess";
import { getAccessContext } from "@/server/access/accessContext";
import { invitationProblem } from "@/server/auth/invitations";
import { AuthForm } from "../components/AuthForm";
import { safeNextPath } from "../components/safeNextPath";
import { OriginWarning } from "../components/OriginWarning";

export const metadata = { title: "Create account" };

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function SignUpPage({ searchParams }: Props) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  if (await signedInUser()) redirect(next);
  const { prisma, signup } = getAccessContext();
  const firstAccount = (await prisma.user.count()) === 0;
  const invite = typeof params.invite === "string" ? params.invite : null;
  const email = typeof params.email === "string" ? params.email : "";
  const mode = await signup.current();
  const closed = !firstAccount && mode === "invite" && !invite;
  // An invitation link that was used, revoked or has expired says so before anyone types.
  const problem = !firstAccount && invite !== null ? await invitationProblem(prisma, invite, null) : null;
  return (
    <section className="auth-page">
      <h1>{firstAccount ? "Create the admin account" : "Create account"}</h1>
      <OriginWarning />
      {firstAccount && <p className="muted">This is the first account on this server: it administers the workspace.</p>}
      {problem ? (
        <div role="alert" data-testid="invitation-problem">
          <p className="error-text">{problem.message}</p>
          {mode === "open" && problem.code !== "INVITATION_USED" && (
            <p>
              Anyone can sign up on this server: <Link href={`/sign-up?next=${encodeURIComponent(next)}`}>create an account without the invitation</Link>.
            </p>
          )}
        </div>
      ) : closed ? (
        <p className="error-text" role="alert" data-testid="signup-closed">
          Sign-up is by invitation only. Ask an admin for an invitation link.
        </p>
      ) : (
        <AuthForm mode="sign-up" next={next} invite={invite} email={email} />
      )}
      <p className="muted">
        Already have an account? <Link href={`/sign-in?next=${encodeURIComponent(next)}`}>Sign in</Link>
      </p>
    </section>
  );
}
