// Next.js Proxy (Next 16's name for middleware): runs in our own process, inside the handler
// that server/startServer.ts gets from next().getRequestHandler(), before every page and
// route handler. It gives each response its Content-Security-Policy with a fresh script
// nonce (server/contentSecurityPolicy.ts). The same policy goes on the request, where Next
// finds the nonce while rendering and puts it on its own scripts; that works because every
// page renders per request (none is prerendered at build time).
// The other security headers are static and stay in next.config.mjs.

import { NextResponse, type NextRequest } from "next/server";
import { loadConfig } from "@/server/config";
import { contentSecurityPolicy, newNonce } from "@/server/contentSecurityPolicy";

// PUBLIC_URL as the server itself reads it (with its default), once per process: the same
// environment server/runProcess.ts validated at start-up.
let publicUrl: string | undefined;

export function proxy(request: NextRequest) {
  publicUrl ??= loadConfig(process.env).publicUrl;
  const policy = contentSecurityPolicy({
    nonce: newNonce(),
    publicUrl,
    dev: process.env.NODE_ENV !== "production",
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Everything Next serves except its hashed build assets (scripts, styles, fonts, images
  // under /_next/static and the image optimizer): a policy means nothing on a subresource,
  // and skipping them keeps the proxy off the hot path of every page load.
  matcher: ["/((?!_next/static/|_next/image).*)"],
};
