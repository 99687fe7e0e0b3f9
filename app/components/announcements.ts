"use client";
// What the page's one polite live region (LiveAnnouncer) says next. Anything on the page may
// announce a state change that matters (offline, someone joined, a document moved to the
// Trash); the region shows the latest message only. Not for things that change on every
// keystroke: that is chatter, not help.

export interface Announcement {
  /** Increases with every announcement, so the same words said twice are announced twice. */
  id: number;
  text: string;
}

type Listener = (announcement: Announcement) => void;

const listeners = new Set<Listener>();
let lastId = 0;

/** Says `text` politely (after whatever the screen reader is saying). */
export function announce(text: string): void {
  const announcement = { id: ++lastId, text };
  for (const listener of listeners) listener(announcement);
}

export function subscribeAnnouncements(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
