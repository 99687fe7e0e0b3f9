"use client";
// The connection badge's state, from the provider's socket events and the browser's
// online flag.
import { useEffect, useState } from "react";
import type { WebsocketProvider } from "y-websocket";
import { isClosedByPage } from "./collabSession";
import { isBrowserOnline } from "./browserOnline.ts";

export type ConnectionLabel = "Connected" | "Connecting…" | "Offline";

export interface ConnectionState {
  label: ConnectionLabel;
  /** Set when the server closed the socket for good (e.g. access revoked). */
  terminalCloseCode: number | null;
}

/**
 * "Connected" while the socket is open and the browser is online. "Connecting…" during the
 * first attempt (or a reconnect that follows a successful connection being dropped by us).
 * "Offline" when the browser is offline, or an attempt has failed and we are retrying: a
 * retry loop against a dead server must not look like progress.
 */
export function useConnectionState(provider: WebsocketProvider | null): ConnectionState {
  const [online, setOnline] = useState(isBrowserOnline);
  const [socket, setSocket] = useState<"connected" | "connecting" | "failed">("connecting");
  const [terminalCloseCode, setTerminalCloseCode] = useState<number | null>(null);

  useEffect(() => {
    const update = () => setOnline(isBrowserOnline());
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    update();
    return () => {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);

  useEffect(() => {
    if (!provider) return;
    setSocket(provider.wsconnected ? "connected" : "connecting");
    setTerminalCloseCode(null);
    const onStatus = ({ status }: { status: "connected" | "connecting" | "disconnected" }) => {
      // The page closed this session itself (it is being replaced by a fresh one, after edits
      // the server refused): not a failure, nothing to show or announce as "Offline".
      if (isClosedByPage(provider)) return;
      if (status === "connected") {
        setSocket("connected");
        setTerminalCloseCode(null);
      } else if (status === "disconnected") {
        setSocket("failed");
      }
      // "connecting" keeps "failed" if the last attempt failed: see the doc comment.
    };
    const onConnectionClose = () => {
      if (!isClosedByPage(provider)) setSocket("failed");
    };
    const onClosed = (event: { code: number }) => setTerminalCloseCode(event.code);
    // Reconnecting (backoff, and at once on "online") is the session's ReconnectScheduler.
    provider.on("status", onStatus);
    provider.on("connection-close", onConnectionClose);
    provider.on("closed", onClosed);
    return () => {
      provider.off("status", onStatus);
      provider.off("connection-close", onConnectionClose);
      provider.off("closed", onClosed);
    };
  }, [provider]);

  let label: ConnectionLabel;
  if (!online || terminalCloseCode !== null) label = "Offline";
  else if (socket === "connected") label = "Connected";
  else if (socket === "connecting") label = "Connecting…";
  else label = "Offline";
  return { label, terminalCloseCode };
}
