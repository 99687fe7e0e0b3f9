"use client";
// The role the server applies to a session's socket, re-read whenever it changes (see
// lib/sync/LiveRole.ts), for the parts of the page that offer editing.
import { useEffect, useReducer } from "react";
import type { Role } from "@/lib/access/roles";
import type { CollabSession } from "./collabSession";

export function useLiveRole(session: CollabSession): Role {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const unsubscribe = session.liveRole.subscribe(rerender);
    // A change between the render and this subscription.
    rerender();
    return unsubscribe;
  }, [session]);
  return session.liveRole.role;
}
