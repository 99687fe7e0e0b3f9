"use client";
// The header's bell: how many notifications are unread, live (Server-Sent Events from
// /api/notifications/stream, on every instance through Redis), and a panel listing them; each
// opens the exact place (the document, at its comment thread). Opening one marks it read.
import Link from "next/link";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import type { NotificationJson } from "@/lib/notifications/notification";
import { announce } from "./announcements";
import { LocalTime } from "./LocalTime";

const WHAT: Record<NotificationJson["kind"], string> = {
  mention: "mentioned you in",
  reply: "replied to your comment in",
  share: "shared with you",
};

export function notificationSentence(n: NotificationJson): string {
  const title = n.documentTitle ? `“${n.documentTitle}”` : "a document";
  return `${n.actorName} ${WHAT[n.kind]} ${title}`;
}

export function NotificationBell() {
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<NotificationJson[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const panelId = useId();

  const load = useCallback(async () => {
    try {
      const response = await fetch("/api/notifications", { cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      const body = (await response.json()) as { notifications: NotificationJson[]; unread: number };
      setItems(body.notifications);
      setUnread(body.unread);
      setError(null);
    } catch {
      setError("Notifications could not be loaded. Try again shortly.");
    }
  }, []);

  useEffect(() => {
    // EventSource reconnects by itself; the stream starts with the unread count each time.
    const source = new EventSource("/api/notifications/stream");
    source.addEventListener("unread", (event) => {
      setUnread((JSON.parse((event as MessageEvent<string>).data) as { unread: number }).unread);
    });
    source.addEventListener("notification", (event) => {
      const notification = JSON.parse((event as MessageEvent<string>).data) as NotificationJson;
      setUnread((count) => count + 1);
      setItems((list) => (list ? [notification, ...list.filter((n) => n.id !== notification.id)] : list));
      announce(`New notification: ${notificationSentence(notification)}.`);
    });
    return () => source.close();
  }, []);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  function toggle() {
    const next = !open;
    setOpen(next);
    if (next) void load();
  }

  function close() {
    setOpen(false);
    button.current?.focus();
  }

  async function markRead(body: { ids: string[] } | { all: true }) {
    const response = await fetch("/api/notifications", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).catch(() => null);
    if (!response?.ok) return;
    const answer = (await response.json()) as { unread: number };
    setUnread(answer.unread);
    const now = new Date().toISOString();
    setItems((list) => list?.map((n) => ("all" in body || body.ids.includes(n.id) ? { ...n, readAt: n.readAt ?? now } : n)) ?? list);
  }

  const label = unread === 0 ? "Notifications" : `Notifications, ${unread} unread`;
  return (
    <div className="notification-bell">
      <button
        ref={button}
        type="button"
        className="button notification-button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={toggle}
        data-testid="notification-bell"
      >
        <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 && (
          <span className="notification-count" data-testid="notification-count">
            {unread > 99 ? "99+" : unread}
          </span>
        )}
      </button>
      {open && (
        <div
          ref={panel}
          id={panelId}
          role="region"
          aria-label="Notifications"
          className="notification-panel"
          data-testid="notification-panel"
          onKeyDown={(event) => {
            if (event.key === "Escape") close();
          }}
        >
          <div className="notification-panel-heading">
            <h2>Notifications</h2>
            <button type="button" className="button" onClick={() => void markRead({ all: true })} disabled={unread === 0} data-testid="notifications-read-all">
              Mark all read
            </button>
          </div>
          {error && <p className="error-text">{error}</p>}
          {items === null && !error && <p className="muted">Loading…</p>}
          {items?.length === 0 && <p className="muted">Nothing yet. Mentions, replies and documents shared with you show up here.</p>}
          {items && items.length > 0 && (
            <ul className="notification-list">
              {items.map((n) => (
                <li key={n.id} className={n.readAt ? "notification read" : "notification unread"} data-testid="notification-item">
                  <Link
                    href={n.href}
                    onClick={() => {
                      if (!n.readAt) void markRead({ ids: [n.id] });
                      setOpen(false);
                    }}
                  >
                    <span className="notification-sentence">
                      {!n.readAt && <span className="visually-hidden">Unread: </span>}
                      {notificationSentence(n)}
                    </span>
                    {n.excerpt && <span className="notification-excerpt">{n.excerpt}</span>}
                    <span className="notification-time">
                      <LocalTime iso={n.createdAt} />
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
