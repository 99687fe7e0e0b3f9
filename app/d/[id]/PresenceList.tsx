"use client";
// Who is in this document right now, from the awareness states of all connected clients.
import { useEffect, useState } from "react";
import type { Awareness } from "y-protocols/awareness";
import { isValidUserColor } from "@/lib/editor/userIdentity";

export interface PresentUser {
  clientId: number;
  name: string;
  color: string;
  isSelf: boolean;
}

function readPresence(awareness: Awareness): PresentUser[] {
  const users: PresentUser[] = [];
  awareness.getStates().forEach((state, clientId) => {
    const user = (state as { user?: { name?: unknown; color?: unknown } }).user;
    // Clients without a user field (e.g. a plain y-websocket client) have no caret to show.
    if (!user || typeof user.name !== "string") return;
    users.push({
      clientId,
      name: user.name,
      color: isValidUserColor(user.color) ? user.color : "#adb5bd",
      isSelf: clientId === awareness.clientID,
    });
  });
  // Self first, then by name, so the list does not reshuffle as states update.
  return users.sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name) || a.clientId - b.clientId);
}

/** The people present, kept current with awareness changes. */
export function usePresence(awareness: Awareness | null): PresentUser[] {
  const [users, setUsers] = useState<PresentUser[]>([]);
  useEffect(() => {
    if (!awareness) {
      setUsers([]);
      return;
    }
    const update = () => setUsers(readPresence(awareness));
    update();
    // "change" fires only when a state was added, removed or altered (not on keep-alives).
    awareness.on("change", update);
    return () => awareness.off("change", update);
  }, [awareness]);
  return users;
}

export function PresenceList({ awareness }: { awareness: Awareness | null }) {
  const users = usePresence(awareness);
  return (
    <ul className="presence" data-testid="presence" aria-label="People in this document">
      {users.map((user) => (
        <li
          key={user.clientId}
          className="presence-user"
          data-testid="presence-user"
          data-self={user.isSelf ? "true" : undefined}
          title={user.isSelf ? `${user.name} (you)` : user.name}
        >
          <span className="color-dot" style={{ backgroundColor: user.color }} aria-hidden />
          <span className="presence-name">{user.name}</span>
          {user.isSelf && <span className="muted"> (you)</span>}
        </li>
      ))}
    </ul>
  );
}
