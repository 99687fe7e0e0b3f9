"use client";
// Header: who is signed in, and signing out.
import { useRouter } from "next/navigation";
import { useState } from "react";

export function AccountMenu({ name }: { name: string }) {
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
      <button type="button" className="button" onClick={signOut} disabled={busy} data-testid="sign-out">
        Sign out
      </button>
    </div>
  );
}
