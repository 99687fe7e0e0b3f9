"use client";
// Header: who is signed in, the admin area for admins, and signing out.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";

export function AccountMenu({ name, isAdmin }: { name: string; isAdmin: boolean }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  async function signOut() {
    setBusy(true);
    await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    router.replace("/sign-in");
    router.refresh();
  }
  return (
    <div className="account-menu">
      <span data-testid="account-name">{name}</span>
      {isAdmin && (
        <Link href="/settings" className="button" data-testid="settings-link">
          Settings
        </Link>
      )}
      <button type="button" className="button" onClick={signOut} disabled={busy} data-testid="sign-out">
        Sign out
      </button>
    </div>
  );
}
