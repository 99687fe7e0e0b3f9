// A WebSocket handshake that reached us as a plain HTTP request. A reverse proxy that does
// not pass upgrades on (nginx without `proxy_http_version 1.1` and the Upgrade/Connection
// headers, or with a stale snippet that drops one of them) forwards the browser's handshake
// as an ordinary GET: the Upgrade and Connection headers are hop-by-hop and vanish, while the
// Sec-WebSocket-* headers come through. Left to Next.js that GET would be a 404 page and the
// editor would retry for ever with nobody told why; instead it gets 426 naming the proxy
// setting that is missing, and the log says the same (once per LOG_EVERY_MS).
import type { IncomingMessage } from "node:http";
import type { Logger } from "../log.ts";

/** How often the log repeats the warning while the proxy stays misconfigured. */
const LOG_EVERY_MS = 10 * 60_000;

export const UPGRADE_NOT_FORWARDED_CODE = "UPGRADE_NOT_FORWARDED";
export const NOT_A_WEBSOCKET_CODE = "WEBSOCKET_ENDPOINT";

/** What the proxy must set for each thing the request lacks (nginx directives). */
const NGINX_FIX = {
  version: "proxy_http_version 1.1;",
  upgrade: "proxy_set_header Upgrade $http_upgrade;",
  connection: "proxy_set_header Connection $collab_connection_upgrade; (with the map from deploy/nginx.conf: `upgrade` when the browser asks for one)",
} as const;

export interface UpgradeNotForwarded {
  code: typeof UPGRADE_NOT_FORWARDED_CODE | typeof NOT_A_WEBSOCKET_CODE;
  message: string;
  /** The nginx directives that would have passed the upgrade on (empty for a plain GET). */
  missing: string[];
}

function connectionTokens(request: IncomingMessage): string[] {
  return (request.headers.connection ?? "").split(",").map((token) => token.trim().toLowerCase());
}

/** Why a non-upgrade request to the collab endpoint is not a WebSocket: a handshake whose
 *  upgrade a proxy dropped (it still carries Sec-WebSocket-Key), or a plain GET (someone
 *  opened the address in a browser tab). */
export function upgradeNotForwarded(request: IncomingMessage): UpgradeNotForwarded {
  if (request.headers["sec-websocket-key"] === undefined) {
    return {
      code: NOT_A_WEBSOCKET_CODE,
      message: "This address is the collaboration WebSocket endpoint: connect to it with a WebSocket (y-websocket) client.",
      missing: [],
    };
  }
  const missing: string[] = [];
  if (request.httpVersion === "1.0") missing.push(NGINX_FIX.version);
  if ((request.headers.upgrade ?? "").toLowerCase() !== "websocket") missing.push(NGINX_FIX.upgrade);
  if (!connectionTokens(request).includes("upgrade")) missing.push(NGINX_FIX.connection);
  const seen = `HTTP/${request.httpVersion}, Upgrade: ${request.headers.upgrade ?? "(none)"}, Connection: ${request.headers.connection ?? "(none)"}`;
  return {
    code: UPGRADE_NOT_FORWARDED_CODE,
    message:
      `A WebSocket handshake arrived without its upgrade (${seen}): the reverse proxy in front of this server ` +
      `does not pass WebSocket upgrades on. In nginx, the location that proxies /collab/ needs: ${missing.join(" ")}`,
    missing,
  };
}

/** Logs a dropped upgrade once per LOG_EVERY_MS: one misconfigured proxy makes every editor
 *  retry, and the log should say why, not how often. */
export class UpgradeNotForwardedLog {
  private lastLogged = -Infinity;

  constructor(private readonly log: Logger) {}

  report(refusal: UpgradeNotForwarded): void {
    if (refusal.code !== UPGRADE_NOT_FORWARDED_CODE) return;
    const now = Date.now();
    if (now - this.lastLogged < LOG_EVERY_MS) return;
    this.lastLogged = now;
    this.log.warn("a WebSocket handshake arrived without its upgrade: the reverse proxy does not pass upgrades on", {
      missing: refusal.missing,
      fix: "see deploy/nginx.conf",
    });
  }
}
