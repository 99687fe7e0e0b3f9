import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { signedInUser } from "@/app/pageAccess";
import { AccountMenu } from "./components/AccountMenu";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Documents", template: "%s · Documents" },
  description: "Write documents together in real time.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await signedInUser();
  return (
    <html lang="en">
      <body>
        {/* First stop of the keyboard: past the header, to the page's content (the document). */}
        <a href="#content" className="skip-link" data-testid="skip-link">
          Skip to content
        </a>
        <header className="site-header">
          <Link href="/" className="brand">
            Documents
          </Link>
          {user ? (
            <AccountMenu name={user.name} isAdmin={user.role === "admin"} />
          ) : (
            <Link href="/sign-in" className="button" data-testid="sign-in-link">
              Sign in
            </Link>
          )}
        </header>
        <main id="content" className="site-main" tabIndex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
}
