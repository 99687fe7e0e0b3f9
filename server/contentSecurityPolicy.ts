// The Content-Security-Policy of every page, built per request by proxy.ts (the root-level
// Next.js Proxy) because it carries a fresh nonce and the WebSocket origin of PUBLIC_URL,
// which is a run-time setting (next.config.mjs headers are fixed at build time).

export interface ContentSecurityPolicyOptions {
  /** This response's script nonce (see newNonce). */
  nonce: string;
  /** The origin users reach the app on (Config.publicUrl): http(s)://host[:port]. */
  publicUrl: string;
  /** Next.js development mode (hot reload). */
  dev: boolean;
}

/** A fresh script nonce: 128 random bits, base64 (a valid CSP nonce-source). */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/** The ws:// or wss:// origin of an http:// or https:// URL (where its collab socket lives). */
export function socketOrigin(publicUrl: string): string {
  const url = new URL(publicUrl);
  return `${url.protocol === "https:" ? "wss:" : "ws:"}//${url.host}`;
}

/** The policy as one header value. */
export function contentSecurityPolicy({ nonce, publicUrl, dev }: ContentSecurityPolicyOptions): string {
  return [
    "default-src 'self'",
    // Scripts: our own files, and inline scripts only with this response's nonce. Next reads
    // the nonce back from the request's CSP header and puts it on its own inline scripts (the
    // streamed app-router payload), so an injected inline script, without it, does not run.
    // Development only: React's dev build uses eval (error stacks, hot reload).
    `script-src 'self' 'nonce-${nonce}'${dev ? " 'unsafe-eval'" : ""}`,
    // Styles keep 'unsafe-inline': the editor sets inline style attributes (caret colours)
    // and its libraries add <style> elements, which a nonce cannot cover.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    // Sockets and fetches only to our own origin. 'self' already matches ws(s) to the same
    // host in current browsers; the explicit origin of PUBLIC_URL covers those where it does
    // not. (The collab server refuses upgrades from any other Origin anyway.)
    `connect-src 'self' ${socketOrigin(publicUrl)}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
