"use client";
// The WAI-ARIA toolbar pattern on a role="toolbar" element: the whole toolbar is one Tab stop
// (roving tabindex: the current control has tabindex 0, every other -1); Left/Right move to the
// previous/next control (wrapping), Home/End to the first/last; Escape hands the keyboard back
// (to the text, where the caret was). Controls come and go (the table's buttons) and are
// enabled or disabled as the selection moves, so the set is read from the DOM each time and a
// mutation observer keeps exactly one Tab stop. Controls inside a dialog the toolbar opens (the
// alt text dialog) are not toolbar items: their keys are the dialog's own.
import { useEffect, useRef, type RefObject } from "react";

const CONTROLS = "button, select, input:not([type='hidden']):not([type='file'])";

/** Whether `item` is shown. Read from the DOM alone: the toolbar hides a control only with the
 *  `hidden` attribute (on it or an ancestor), and any style or layout query here made the
 *  browser recompute the styles of the whole page, a freshly loaded 100 KB document included,
 *  whenever the toolbar changed (checkVisibility() cost 86 ms of the 358 ms from the editor's
 *  session opening to the editor being editable; getClientRects() before it, a layout). */
function isShown(item: HTMLElement): boolean {
  return item.closest("[hidden]") === null;
}

/** The toolbar's enabled, visible controls, in DOM order. */
function toolbarItems(toolbar: HTMLElement): HTMLElement[] {
  return [...toolbar.querySelectorAll<HTMLElement>(CONTROLS)].filter((item) => !item.closest("dialog") && !(item as HTMLButtonElement).disabled && isShown(item));
}

/** Focuses the toolbar's current control (its one Tab stop); false when it has none enabled. */
export function focusToolbar(toolbar: HTMLElement | null): boolean {
  if (!toolbar) return false;
  const items = toolbarItems(toolbar);
  const current = items.find((item) => item.tabIndex === 0) ?? items[0];
  current?.focus();
  return current !== undefined;
}

/** Makes `current` (or, when it is gone or disabled, the first control) the one Tab stop. */
function rove(toolbar: HTMLElement, current: HTMLElement | null): HTMLElement | null {
  const items = toolbarItems(toolbar);
  const stop = current && items.includes(current) ? current : (items[0] ?? null);
  for (const item of toolbar.querySelectorAll<HTMLElement>(CONTROLS)) {
    if (item.closest("dialog")) continue;
    const tabIndex = item === stop ? 0 : -1;
    // Only when it changes: the observer below does not watch tabindex, but a write is still work.
    if (item.tabIndex !== tabIndex) item.tabIndex = tabIndex;
  }
  return stop;
}

export function useRovingToolbar(toolbarRef: RefObject<HTMLElement | null>, onEscape: () => void): void {
  // The latest callback, without re-running the effect (which would reset the Tab stop).
  const escape = useRef(onEscape);
  useEffect(() => {
    escape.current = onEscape;
  }, [onEscape]);

  useEffect(() => {
    const toolbar = toolbarRef.current;
    if (!toolbar) return;
    let current: HTMLElement | null = rove(toolbar, null);

    const observer = new MutationObserver(() => {
      current = rove(toolbar, current);
    });
    observer.observe(toolbar, { subtree: true, childList: true, attributes: true, attributeFilter: ["disabled", "hidden"] });

    const onFocusIn = (event: FocusEvent) => {
      const target = event.target as HTMLElement;
      if (toolbarItems(toolbar).includes(target)) current = rove(toolbar, target);
    };

    const onKeyDown = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      const items = toolbarItems(toolbar);
      const index = items.indexOf(target);
      if (index < 0 || event.ctrlKey || event.metaKey || event.altKey) return;
      let next: HTMLElement | undefined;
      if (event.key === "ArrowRight") next = items[(index + 1) % items.length];
      else if (event.key === "ArrowLeft") next = items[(index - 1 + items.length) % items.length];
      else if (event.key === "Home") next = items[0];
      else if (event.key === "End") next = items[items.length - 1];
      else if (event.key === "Escape") {
        event.preventDefault();
        escape.current();
        return;
      } else return;
      // A closed <select> would otherwise change its value with Left/Right.
      event.preventDefault();
      current = rove(toolbar, next);
      next.focus();
    };

    toolbar.addEventListener("focusin", onFocusIn);
    toolbar.addEventListener("keydown", onKeyDown);
    return () => {
      observer.disconnect();
      toolbar.removeEventListener("focusin", onFocusIn);
      toolbar.removeEventListener("keydown", onKeyDown);
    };
  }, [toolbarRef]);
}
