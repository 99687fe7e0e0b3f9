// The colour theme this browser chose: "system" (follow prefers-color-scheme: the default),
// "light" or "dark", kept in localStorage. The choice is a data-theme attribute on <html>
// (app/globals.css sets color-scheme from it); THEME_BOOT_SCRIPT sets it from a tiny inline
// script in <head>, before the first paint, so a dark choice never flashes light.

export const THEME_CHOICES = ["system", "light", "dark"] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

export const THEME_STORAGE_KEY = "theme";

export function isThemeChoice(value: unknown): value is ThemeChoice {
  return (THEME_CHOICES as readonly unknown[]).includes(value);
}

/** The stored choice; "system" when there is none or storage is unavailable (some private modes). */
export function storedTheme(): ThemeChoice {
  try {
    const value = localStorage.getItem(THEME_STORAGE_KEY);
    return isThemeChoice(value) ? value : "system";
  } catch {
    return "system";
  }
}

/** Applies `choice` to the page and remembers it in this browser. */
export function chooseTheme(choice: ThemeChoice): void {
  applyTheme(document.documentElement, choice);
  try {
    if (choice === "system") localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, choice);
  } catch {
    // Not remembered, but applied to this page.
  }
}

/** Applies the stored choice (another tab of this browser may have changed it). */
export function applyStoredTheme(): void {
  applyTheme(document.documentElement, storedTheme());
}

function applyTheme(root: HTMLElement, choice: ThemeChoice): void {
  if (choice === "system") delete root.dataset.theme;
  else root.dataset.theme = choice;
}

/** Runs inline in <head>, before anything is painted: the same rules as storedTheme/applyTheme. */
export const THEME_BOOT_SCRIPT = `try{var t=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}`;
