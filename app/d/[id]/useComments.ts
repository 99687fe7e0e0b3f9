"use client";
// The document's comment threads, re-read whenever the server tells of a change (see
// lib/sync/LiveComments.ts), for the comments sidebar and the editor's highlights.
import { useEffect, useState } from "react";
import type { ThreadJson } from "@/lib/comments/commentModel";
import type { CollabSession } from "./collabSession";

export function useComments(session: CollabSession): ThreadJson[] {
  const [threads, setThreads] = useState<ThreadJson[]>(() => session.comments.list);
  useEffect(() => {
    setThreads(session.comments.list);
    return session.comments.subscribe(() => setThreads(session.comments.list));
  }, [session]);
  return threads;
}
