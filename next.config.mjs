// Next.js configuration. The app is served by our own Node process (server/main.ts), which
// also hosts the collab WebSocket; Next only renders pages and route handlers.

// The Content-Security-Policy is not here: it carries a fresh script nonce per response and
// the WebSocket origin of PUBLIC_URL (a run-time setting, while these headers are fixed at
// build time), so proxy.ts sets it on every page (server/contentSecurityPolicy.ts).

/** Security headers on every response Next serves (pages, route handlers, assets). */
const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Database packages stay real Node modules instead of being bundled: PGlite ships a wasm
  // file and a data directory that must be opened once per process, and Prisma's runtime
  // loads its query compiler at run time. Unbundled, the route handlers and the custom
  // server share one module instance, so the globalThis singleton in server/db holds.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/client",
    "@prisma/adapter-pg",
    "@prisma/driver-adapter-utils",
    "pg",
    // One Yjs per process: the content API's route handlers (app/api/documents/[id]/content)
    // work on the collab server's live Y.Docs, and a second, bundled Yjs breaks its
    // constructor checks ("Yjs was already imported").
    "yjs",
    // One metrics registry and one log destination per process (server/metrics, server/log.ts).
    "prom-client",
    "pino",
    "pino-pretty",
  ],
  // The custom server owns the port and the process; no X-Powered-By banner.
  poweredByHeader: false,
  // `npm test` type-checks the whole project (tests included) with `tsc --noEmit`; the build
  // must not fail on a test file's types.
  typescript: { ignoreBuildErrors: true },
  // Lets two builds coexist (e.g. a test run beside a development server).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
