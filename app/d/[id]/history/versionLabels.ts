// How the history panel names versions and days (the browser's locale and time zone).
import type { VersionEntry } from "./historyApi";

export function versionTitle(version: VersionEntry): string {
  if (version.name) return version.name;
  return version.kind === "restore" ? "Restored version" : "Automatic version";
}

export function versionTime(version: VersionEntry): string {
  return new Date(version.createdAt).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

/** Versions (newest first) grouped by the local day they were made on, in order. */
export function groupByDay(versions: readonly VersionEntry[]): { day: string; versions: VersionEntry[] }[] {
  const groups: { day: string; versions: VersionEntry[] }[] = [];
  for (const version of versions) {
    const day = new Date(version.createdAt).toLocaleDateString(undefined, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
    const last = groups.at(-1);
    if (last?.day === day) last.versions.push(version);
    else groups.push({ day, versions: [version] });
  }
  return groups;
}
