"use client";
// Says in the page's live region what happened to this page's hold on the document: offline,
// back online, access lost (the server closed the socket for good), and being switched to
// read-only or back to editing. Only changes are said, once each: never the first connection,
// never a reconnect attempt, never a save.
import { useEffect, useRef } from "react";
import { announce } from "@/app/components/announcements";
import { closeReasonMessage } from "./collabSession";
import type { ConnectionLabel } from "./useConnectionStatus";

interface Input {
  label: ConnectionLabel;
  /** The server's permanent close code, or null. */
  terminalCloseCode: number | null;
  /** The person may edit now (their role allows it and the socket was not closed for good). */
  mayEdit: boolean;
}

export const ANNOUNCE_OFFLINE_EDITING = "You are offline. What you write is kept on this device and sent when the connection is back.";
export const ANNOUNCE_OFFLINE_READING = "You are offline.";
export const ANNOUNCE_BACK_ONLINE = "Back online.";
export const ANNOUNCE_READ_ONLY = "You can now only read this document.";
export const ANNOUNCE_EDITABLE = "You can now edit this document.";

export function useConnectionAnnouncements({ label, terminalCloseCode, mayEdit }: Input): void {
  // What was last said about the connection: nothing yet, "online" (first connected) or "offline".
  const said = useRef<"online" | "offline" | null>(null);
  const editable = useRef(mayEdit);

  useEffect(() => {
    if (terminalCloseCode !== null) return; // said once below, instead of "offline"
    if (label === "Connected") {
      if (said.current === "offline") announce(ANNOUNCE_BACK_ONLINE);
      said.current = "online";
    } else if (label === "Offline" && said.current !== "offline") {
      announce(mayEdit ? ANNOUNCE_OFFLINE_EDITING : ANNOUNCE_OFFLINE_READING);
      said.current = "offline";
    }
    // "Connecting…" says nothing: the last thing said still holds until it succeeds or fails.
  }, [label, terminalCloseCode, mayEdit]);

  useEffect(() => {
    if (terminalCloseCode !== null) announce(closeReasonMessage(terminalCloseCode));
  }, [terminalCloseCode]);

  useEffect(() => {
    if (editable.current === mayEdit) return;
    editable.current = mayEdit;
    // Access lost is said by the close reason above; this is a role changed while connected.
    if (terminalCloseCode === null) announce(mayEdit ? ANNOUNCE_EDITABLE : ANNOUNCE_READ_ONLY);
  }, [mayEdit, terminalCloseCode]);
}
