"use client";
// Feeds the page's live region with who joined or left (presenceAnnouncer.ts decides what is
// worth saying, and when): the others' names from awareness, while the socket is connected.
import { useEffect } from "react";
import type { WebsocketProvider } from "y-websocket";
import { announce } from "@/app/components/announcements";
import { PresenceAnnouncer } from "./presenceAnnouncer";

/** Distinct names of the other clients (not this page; another tab of ours counts as a person). */
function otherNames(provider: WebsocketProvider): string[] {
  const names = new Set<string>();
  provider.awareness.getStates().forEach((state, clientId) => {
    const name = (state as { user?: { name?: unknown } }).user?.name;
    if (clientId !== provider.awareness.clientID && typeof name === "string") names.add(name);
  });
  return [...names];
}

export function usePresenceAnnouncements(provider: WebsocketProvider | null): void {
  useEffect(() => {
    if (!provider) return;
    const announcer = new PresenceAnnouncer(announce);
    // Synced: the server has sent the document, and the others' states come with or just after it.
    const onSync = (synced: boolean) => {
      if (synced) announcer.connected(otherNames(provider));
    };
    const onStatus = ({ status }: { status: string }) => {
      if (status !== "connected") announcer.disconnected();
    };
    const onChange = () => announcer.update(otherNames(provider));
    if (provider.synced) announcer.connected(otherNames(provider));
    provider.on("sync", onSync);
    provider.on("status", onStatus);
    provider.awareness.on("change", onChange);
    return () => {
      provider.off("sync", onSync);
      provider.off("status", onStatus);
      provider.awareness.off("change", onChange);
      announcer.dispose();
    };
  }, [provider]);
}
