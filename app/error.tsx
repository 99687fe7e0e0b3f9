"use client";
// Last-resort boundary for unexpected render errors; expected failures are rendered inline.

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="centered-message" role="alert">
      <h1>Something went wrong</h1>
      <p className="muted">The page could not be shown.</p>
      <button type="button" className="button" onClick={() => reset()}>
        Try again
      </button>
    </section>
  );
}
