"use client";
// The page's one polite live region (in the root layout, so there is exactly one per page): it
// speaks the messages given to announce() (announcements.ts). Each message is a new element, so
// the same words twice (offline, back online, offline) are announced twice. Visually hidden:
// what it says is on screen already, as a badge, list or banner.
import { useEffect, useState } from "react";
import { subscribeAnnouncements, type Announcement } from "./announcements";

export function LiveAnnouncer() {
  const [latest, setLatest] = useState<Announcement | null>(null);
  useEffect(() => subscribeAnnouncements(setLatest), []);
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="live-announcer">
      {latest && <p key={latest.id}>{latest.text}</p>}
    </div>
  );
}
