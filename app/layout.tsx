import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { signedInUser } from "@/app/pageAccess";
import { AccountMenu } from "./components/AccountMenu";
import { LiveAnnouncer } from "./components/LiveAnnouncer";
import { NotificationBell } from "./components/NotificationBell";
import { ThemeSwitch } from "./components/ThemeSwitch";
import { THEME_BOOT_SCRIPT } from "./components/themePreference";
import { cspNonce } from "./cspNonce";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Documents", template: "%s · Documents" },
  description: "Write documents together in real time.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await signedInUser();
  const nonce = await cspNonce();
  return (
    // The boot script sets data-theme before React hydrates: not a mismatch to report.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* Before the first paint, so a chosen dark theme never flashes light (CSP: this
            response's nonce, like Next's own scripts). */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body>
        {/* First stop of the keyboard: past the header, to the page's content (the document). */}
        <a href="#content" className="skip-link" data-testid="skip-link">
          Skip to content
        </a>
        <header className="site-header">
          <Link href="/" className="brand">
            Documents
          </Link>
          <div className="header-actions">
            <ThemeSwitch />
            {user ? (
              <>
                <NotificationBell />
                <AccountMenu name={user.name} isAdmin={user.role === "admin"} />
              </>
            ) : (
              <Link href="/sign-in" className="button" data-testid="sign-in-link">
                Sign in
              </Link>
            )}
          </div>
        </header>
        <main id="content" className="site-main" tabIndex={-1}>
          {children}
        </main>
        <LiveAnnouncer />
      </body>
    </html>
  );
}
