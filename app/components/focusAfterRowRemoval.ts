"use client";
// Keeps the keyboard's place when a list row is about to disappear (moved to the Trash,
// restored, deleted): the focus goes to the next row's first control, else the previous row's,
// else the page's content, instead of falling back to the page body (which sends a keyboard
// user to the top of the page).

const CONTROL = "a[href], button:not([disabled])";

export function focusAfterRowRemoval(inside: HTMLElement): void {
  const row = inside.closest("li");
  const neighbour = row?.nextElementSibling ?? row?.previousElementSibling;
  const target = neighbour?.querySelector<HTMLElement>(CONTROL) ?? document.getElementById("content");
  target?.focus();
}
