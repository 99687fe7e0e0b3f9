// A short error shown where the action that failed was, announced at once (role="alert").
// Renders nothing without a message, so callers pass their error state as it is.

export function ErrorNote({ message, testId, inline = false }: { message: string | null | undefined | false; testId?: string; inline?: boolean }) {
  if (!message) return null;
  const Tag = inline ? "span" : "p";
  return (
    <Tag className="error-text" role="alert" data-testid={testId}>
      {message}
    </Tag>
  );
}
