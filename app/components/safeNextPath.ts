// Where to send someone after signing in: only a path on this site, never another origin
// (an open redirect would let a phishing link bounce through our sign-in page).
export function safeNextPath(value: string | string[] | undefined): string {
  const next = Array.isArray(value) ? value[0] : value;
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}
