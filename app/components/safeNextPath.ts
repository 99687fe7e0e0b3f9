// Where to send someone after signing in: only a path on this site, never another origin
// (an open redirect would let a phishing link bounce through our sign-in page).
import { containsControlCharacter } from "@/lib/text/controlCharacters";

/** Any fixed origin works: the value is resolved against it only to see whether it stays there. */
const PROBE_ORIGIN = "https://same-origin.invalid";

export function safeNextPath(value: string | string[] | undefined): string {
  const next = Array.isArray(value) ? value[0] : value;
  // Prefix checks are not enough: URL parsers (and so browsers) silently drop tabs and line
  // breaks and read "\" as "/", so "/\t/evil.example" lands on //evil.example. Refuse those
  // characters outright, then let the URL parser itself say where the value leads.
  if (!next || !next.startsWith("/") || next.includes("\\") || containsControlCharacter(next)) return "/";
  let parsed: URL;
  try {
    parsed = new URL(next, PROBE_ORIGIN);
  } catch {
    return "/";
  }
  if (parsed.origin !== PROBE_ORIGIN) return "/";
  const path = parsed.pathname + parsed.search + parsed.hash;
  // The parser normalises "/./" and "/../" segments; a result starting "//" would be read as
  // protocol-relative by whoever redirects to it.
  return path.startsWith("/") && !path.startsWith("//") ? path : "/";
}
