// "Invalid origin" made plain. Browsers' state-changing requests are accepted only from
// PUBLIC_URL's origin (otherwise any page could use a signed-in user's cookie), so a server
// reached at another address (a LAN IP, another host name, http instead of https) refuses
// every sign-in. Say exactly that, and how to fix it, in the page and in the log.
import type { Logger } from "../log.ts";

/** How often the log repeats the warning for one wrong origin. */
const LOG_EVERY_MS = 10 * 60_000;

export const ORIGIN_MISMATCH_CODE = "ORIGIN_MISMATCH";

export function originMismatchMessage(seen: string, publicUrl: string): string {
  return (
    `This page was opened at ${seen}, but the server's PUBLIC_URL is ${publicUrl}, so it refuses sign-in from here ` +
    `(a browser request from another address could come from another site). Open ${publicUrl} instead, or have the ` +
    `admin set PUBLIC_URL=${seen} (the address people use) and restart the server.`
  );
}

/** The origin a browser request came from when it is not one we accept; null when it is (or
 *  when there is no Origin header: scripts, which carry no ambient cookies). */
export function foreignOrigin(origin: string | undefined, allowedOrigins: readonly string[]): string | null {
  if (origin === undefined || origin === "" || allowedOrigins.includes(origin)) return null;
  return origin;
}

/** Whether a page's Host differs from every accepted origin's host (the page then warns). */
export function isForeignHost(host: string | null, allowedOrigins: readonly string[]): boolean {
  if (!host) return false;
  return !allowedOrigins.some((origin) => new URL(origin).host === host.toLowerCase());
}

/** Logs a wrong origin once per LOG_EVERY_MS, so a misconfigured server says why, not how often. */
export class OriginMismatchLog {
  private readonly lastLogged = new Map<string, number>();

  constructor(
    private readonly log: Logger,
    private readonly publicUrl: string,
  ) {}

  report(origin: string): void {
    const now = Date.now();
    if (now - (this.lastLogged.get(origin) ?? -Infinity) < LOG_EVERY_MS) return;
    if (this.lastLogged.size > 1_000) this.lastLogged.clear(); // bounded: origins are client-chosen
    this.lastLogged.set(origin, now);
    this.log.warn("refused a browser request from an origin other than PUBLIC_URL", {
      origin,
      publicUrl: this.publicUrl,
      fix: `set PUBLIC_URL to the address people use (e.g. PUBLIC_URL=${origin})`,
    });
  }
}
