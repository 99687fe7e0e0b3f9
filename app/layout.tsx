import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { UserNameField } from "./components/UserNameField";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Documents", template: "%s · Documents" },
  description: "Write documents together in real time.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            Documents
          </Link>
          <UserNameField />
        </header>
        <main className="site-main">{children}</main>
      </body>
    </html>
  );
}
