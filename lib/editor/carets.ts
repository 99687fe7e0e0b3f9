// Remote caret rendering for @tiptap/extension-collaboration-caret (browser only).
//
// Quirk: y-tiptap keys each caret widget by awareness client id alone, so ProseMirror reuses
// the first DOM it built for a client and never calls `render` again when that person
// renames themselves or changes colour. We therefore tag each caret with its client id and
// patch label and colours in place on awareness changes (refreshRemoteCarets).
import type { Awareness } from "y-protocols/awareness";
import { isValidUserColor } from "./userIdentity";

const CARET_CLASS = "collaboration-carets__caret";
const LABEL_CLASS = "collaboration-carets__label";
/** Shown for users whose colour is missing or not #rrggbb. */
const FALLBACK_CARET_COLOR = "#adb5bd";

interface CaretUser {
  name?: unknown;
  color?: unknown;
  /** The awareness client id of the user, added by us so carets can be refreshed. */
  clientId?: unknown;
}

function displayName(user: CaretUser): string {
  return typeof user.name === "string" && user.name.length > 0 ? user.name : "Anonymous";
}

function displayColor(user: CaretUser): string {
  return isValidUserColor(user.color) ? user.color : FALLBACK_CARET_COLOR;
}

function paint(caret: HTMLElement, label: HTMLElement, user: CaretUser): void {
  const color = displayColor(user);
  const name = displayName(user);
  caret.style.borderColor = color;
  label.style.backgroundColor = color;
  if (label.textContent !== name) label.textContent = name;
}

/** Builds one remote caret: `.collaboration-carets__caret` holding a name label. */
export function renderCaret(user: Record<string, unknown>): HTMLElement {
  const caret = document.createElement("span");
  caret.classList.add(CARET_CLASS);
  const label = document.createElement("div");
  label.classList.add(LABEL_CLASS);
  caret.append(label);
  if (typeof user.clientId === "number") caret.dataset.clientId = String(user.clientId);
  paint(caret, label, user);
  return caret;
}

/** Brings caret labels and colours under `root` up to date with the awareness states. */
export function refreshRemoteCarets(root: HTMLElement, awareness: Awareness): void {
  const states = awareness.getStates();
  root.querySelectorAll<HTMLElement>(`.${CARET_CLASS}[data-client-id]`).forEach((caret) => {
    const user = (states.get(Number(caret.dataset.clientId)) as { user?: CaretUser } | undefined)?.user;
    const label = caret.querySelector<HTMLElement>(`.${LABEL_CLASS}`);
    if (user && label) paint(caret, label, user);
  });
}
