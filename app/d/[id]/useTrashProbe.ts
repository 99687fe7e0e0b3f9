"use client";
// A document moved to the Trash while this page was disconnected (offline, asleep) is refused
// at the upgrade with 410, which a browser only sees as an abnormal close (1006) with no
// status: y-websocket would retry for ever behind an "Offline" badge. So after a failed or
// dropped socket, the page asks the API (throttled); its 410 in_trash is the same answer, shown
// as the 4410 message, and reconnecting stops.
import { useEffect, useState } from "react";
import type { CollabSession } from "./collabSession";

/** The API is asked at most this often while sockets keep failing. */
export const TRASH_PROBE_MIN_INTERVAL_MS = 5_000;

/** True once the API said the document is in the Trash. */
export function useTrashProbe(session: CollabSession | null, token: string | null): boolean {
  const [trashed, setTrashed] = useState(false);

  useEffect(() => {
    setTrashed(false);
    if (!session) return;
    let lastProbeAt = -Infinity;
    let stopped = false;
    const probe = async () => {
      if (stopped || Date.now() - lastProbeAt < TRASH_PROBE_MIN_INTERVAL_MS) return;
      if (typeof navigator !== "undefined" && navigator.onLine === false) return;
      lastProbeAt = Date.now();
      try {
        const response = await fetch(`/api/documents/${encodeURIComponent(session.documentId)}`, {
          cache: "no-store",
          headers: token ? { "x-share-token": token } : {},
        });
        if (stopped || response.status !== 410) return;
        session.reconnect.stop();
        setTrashed(true);
      } catch {
        // Server unreachable: the socket's own retries (and this probe, next time) go on.
      }
    };
    const onConnectionClose = (event: { code?: number } | null) => {
      // 1006: refused at the upgrade, or dropped without a close frame. Named codes say why
      // themselves (4410 included), so only the silent closes are probed.
      if (event === null || event.code === 1006) void probe();
    };
    session.provider.on("connection-close", onConnectionClose);
    return () => {
      stopped = true;
      session.provider.off("connection-close", onConnectionClose);
    };
  }, [session, token]);

  return trashed;
}
