// /settings: the admin area (people, invitations, sign-up mode). Admins only; every action is
// also an API under /api/admin/ (README: "Team administration").
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { signedInUser } from "@/app/pageAccess";
import { SettingsClient } from "./SettingsClient";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await signedInUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent("/settings")}`);
  if (user.role !== "admin") {
    return (
      <section>
        <h1>Settings</h1>
        <p className="error-text" role="alert" data-testid="settings-forbidden">
          Only workspace admins can manage people and invitations. Ask an admin.
        </p>
      </section>
    );
  }
  return <SettingsClient currentUserId={user.id} />;
}
