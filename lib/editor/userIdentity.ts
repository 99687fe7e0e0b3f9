// A friendly random identity for people who have not named themselves yet.

import { withoutControlCharacters } from "../text/controlCharacters.ts";

/** Caret/presence colours: #rrggbb (the caret extension ignores other formats), readable with dark text. */
export const USER_COLORS = [
  "#f783ac", "#ffa94d", "#ffd43b", "#8ce99a", "#63e6be",
  "#66d9e8", "#74c0fc", "#91a7ff", "#b197fc", "#e599f7",
] as const;

const ADJECTIVES = [
  "Amber", "Brave", "Calm", "Clever", "Swift", "Gentle", "Happy", "Jolly",
  "Lucky", "Merry", "Quiet", "Sunny", "Witty", "Bold", "Bright", "Kind",
];
const ANIMALS = [
  "Otter", "Fox", "Panda", "Heron", "Lynx", "Koala", "Badger", "Falcon",
  "Dolphin", "Owl", "Rabbit", "Tiger", "Wombat", "Robin", "Seal", "Yak",
];

/** Longest display name, in characters. */
export const USER_NAME_MAX_CHARS = 40;

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}

/** A random name such as "Sunny Otter". */
export function randomUserName(): string {
  return `${pick(ADJECTIVES)} ${pick(ANIMALS)}`;
}

/** A random colour from USER_COLORS. */
export function randomUserColor(): string {
  return pick(USER_COLORS);
}

/** True for a #rrggbb colour. */
export function isValidUserColor(color: unknown): color is string {
  return typeof color === "string" && /^#[0-9a-fA-F]{6}$/.test(color);
}

/** Beyond control characters: line/paragraph separators and bidirectional overrides (which
 *  can make a name display as someone else's) are never part of a name either. */
const NAME_BREAKING_FORMATS = /[\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Canonical form of a display name: NFC, control characters dropped, runs of white space
 *  made one space, trimmed. Every name (account or guest) is stored and shown in this form. */
export function canonicalUserName(raw: string): string {
  return withoutControlCharacters(raw.normalize("NFC")).replace(NAME_BREAKING_FORMATS, "").replace(/\s+/gu, " ").trim();
}

/** Canonical and bounded display name (guests: longer input is cut); empty yields null
 *  (keep the previous name). */
export function normalizeUserName(raw: string): string | null {
  const name = [...canonicalUserName(raw)].slice(0, USER_NAME_MAX_CHARS).join("").trim();
  return name.length > 0 ? name : null;
}

/** An account's name as typed at sign-up or in settings: canonical, or why it is refused
 *  (an account names itself once, so it is told rather than silently cut). */
export function checkAccountName(raw: unknown): { ok: true; name: string } | { ok: false; message: string } {
  if (typeof raw !== "string") return { ok: false, message: "Name is required." };
  const name = canonicalUserName(raw);
  if (name === "") return { ok: false, message: "Name is required." };
  if ([...name].length > USER_NAME_MAX_CHARS) return { ok: false, message: `Name must be at most ${USER_NAME_MAX_CHARS} characters.` };
  return { ok: true, name };
}

/** A stable colour for an account or guest id, so a person keeps their colour everywhere. */
export function colorForId(id: string): string {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return USER_COLORS[hash % USER_COLORS.length];
}
