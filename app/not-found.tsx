import Link from "next/link";

export default function NotFound() {
  return (
    <section className="centered-message">
      <h1>Not found</h1>
      <p className="muted">This document does not exist, or the link is wrong.</p>
      <Link href="/" className="button">
        All documents
      </Link>
    </section>
  );
}
