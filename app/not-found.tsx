import Link from "next/link";

// Any unknown URL. Documents that do not exist or cannot be opened have their own messages on
// the document page (app/d/[id]/page.tsx), so this page does not claim a document is missing.
export default function NotFound() {
  return (
    <section className="centered-message">
      <h1>Page not found</h1>
      <p className="muted">There is nothing at this address. Check the link, or go back to your documents.</p>
      <Link href="/" className="button">
        All documents
      </Link>
    </section>
  );
}
