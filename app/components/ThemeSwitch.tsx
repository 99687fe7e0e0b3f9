"use client";
// The header's theme choice: System (follow the device), Light or Dark, remembered in this
// browser (themePreference.ts). Rendered as "System" on the server, which cannot know the
// stored choice; the page itself already has the right colours from the boot script.
import { useSyncExternalStore } from "react";
import { THEME_CHOICES, applyStoredTheme, chooseTheme, isThemeChoice, storedTheme, type ThemeChoice } from "./themePreference";

const LABELS: Record<ThemeChoice, string> = { system: "System", light: "Light", dark: "Dark" };

// Other tabs of this browser changing the theme: follow them (the storage event).
const listeners = new Set<() => void>();
function subscribe(listener: () => void): () => void {
  const onStorage = () => {
    applyStoredTheme();
    listener();
  };
  listeners.add(listener);
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

export function ThemeSwitch() {
  const theme = useSyncExternalStore(subscribe, storedTheme, () => "system" as const);
  return (
    <label className="theme-switch">
      <span className="theme-switch-label">Theme</span>
      <select
        value={theme}
        data-testid="theme-switch"
        onChange={(event) => {
          if (!isThemeChoice(event.target.value)) return;
          chooseTheme(event.target.value);
          for (const listener of listeners) listener();
        }}
      >
        {THEME_CHOICES.map((choice) => (
          <option key={choice} value={choice}>
            {LABELS[choice]}
          </option>
        ))}
      </select>
    </label>
  );
}
