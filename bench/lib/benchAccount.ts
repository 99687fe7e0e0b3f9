// A signed-in account for the browser benchmarks (bench/open.ts, bench/largeDocument.ts): signs
// up through the real app's API and gives a Playwright context its session cookie.
import type { Browser, BrowserContext } from "playwright";

/** Signs up a new account; returns its session cookie ("name=value; …"). */
export async function signUp(baseUrl: string, name: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ name, email: `${name.toLowerCase()}-${process.pid}-${Date.now()}@example.test`, password: "correct horse battery" }),
  });
  const cookie = (response.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).join("; ");
  if (!response.ok || !cookie) throw new Error(`sign-up failed: ${response.status}`);
  return cookie;
}

/** A fresh browser context signed in with `cookie`, its requests relative to `baseUrl`. */
export async function signedInContext(browser: Browser, baseUrl: string, cookie: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl });
  const { hostname } = new URL(baseUrl);
  await context.addCookies(
    cookie.split("; ").map((pair) => {
      const at = pair.indexOf("=");
      return { name: pair.slice(0, at), value: pair.slice(at + 1), domain: hostname, path: "/" };
    }),
  );
  return context;
}
