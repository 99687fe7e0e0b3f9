"use client";
// Header field showing and editing the local user's name (what others see on carets).
import { useEffect, useState } from "react";
import { USER_NAME_MAX_CHARS } from "@/lib/editor/userIdentity";
import { setLocalUserName, useLocalUser } from "./userIdentityStore";

export function UserNameField() {
  const user = useLocalUser();
  const [draft, setDraft] = useState("");

  useEffect(() => {
    if (user) setDraft(user.name);
  }, [user]);

  const commit = () => setDraft(setLocalUserName(draft));

  return (
    <label className="user-name-field">
      <span className="color-dot" style={{ backgroundColor: user?.color ?? "transparent" }} aria-hidden />
      <span className="visually-hidden">Your name</span>
      <input
        data-testid="user-name"
        value={draft}
        maxLength={USER_NAME_MAX_CHARS}
        placeholder="Your name"
        disabled={!user}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            commit();
            event.currentTarget.blur();
          } else if (event.key === "Escape" && user) {
            setDraft(user.name);
            event.currentTarget.blur();
          }
        }}
      />
    </label>
  );
}
