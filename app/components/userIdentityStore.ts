"use client";
// The local user's display identity (name + caret colour) for guests, persisted in
// localStorage so every tab and visit of this browser shows the same one.
import type { CollabUser } from "@/lib/editor/extensions";
import {
  isValidUserColor,
  normalizeUserName,
  randomUserColor,
  randomUserName,
} from "@/lib/editor/userIdentity";

const STORAGE_KEY = "collab-editor:user";

let current: CollabUser | null = null;

function readStored(): CollabUser | null {
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const value: unknown = JSON.parse(raw);
    if (typeof value !== "object" || value === null) return null;
    const { name, color } = value as Record<string, unknown>;
    const normalized = typeof name === "string" ? normalizeUserName(name) : null;
    if (!normalized || !isValidUserColor(color)) return null;
    return { name: normalized, color };
  } catch {
    // Storage disabled (private mode, quota) or corrupt JSON: fall back to a fresh identity.
    return null;
  }
}

function store(user: CollabUser): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(user));
  } catch {
    // Not persisting is acceptable; the identity still lives for this page.
  }
}

/** True when this browser has a saved identity (a guest named themselves before). */
export function hasStoredUser(): boolean {
  return readStored() !== null;
}

/** The local identity, created and saved on first use. Browser only. */
export function getLocalUser(): CollabUser {
  if (!current) {
    current = readStored();
    if (!current) {
      current = { name: randomUserName(), color: randomUserColor() };
      store(current);
    }
  }
  return current;
}

/** Renames the local user; blank names are ignored. Returns the name in effect. */
export function setLocalUserName(rawName: string): string {
  const user = getLocalUser();
  const name = normalizeUserName(rawName);
  if (!name || name === user.name) return user.name;
  current = { ...user, name };
  store(current);
  return name;
}
