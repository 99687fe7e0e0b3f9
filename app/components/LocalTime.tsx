"use client";
// A moment shown in the viewer's own locale and time zone. The server does not know either, so
// it renders nothing and the browser fills the text in (useSyncExternalStore: the server
// snapshot is empty, the client's is formatted, and hydration switches without a mismatch).
import { useSyncExternalStore } from "react";

interface Props {
  /** The instant, as an ISO 8601 string (what the API returns). */
  iso: string;
  testId?: string;
}

const format = new Map<string, string>();

function formatted(iso: string): string {
  let text = format.get(iso);
  if (text === undefined) {
    text = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
    format.set(iso, text);
  }
  return text;
}

const noSubscription = () => () => undefined;

export function LocalTime({ iso, testId }: Props) {
  const text = useSyncExternalStore(noSubscription, () => formatted(iso), () => "");
  return (
    <time dateTime={iso} data-testid={testId}>
      {text}
    </time>
  );
}
