// The Content-Security-Policy of the app's pages: scripts only with this response's nonce
// (no 'unsafe-inline'), sockets only to our own origin, an injected inline script does not
// run, and the app still hydrates, opens a document and syncs under the policy.

import type { Page } from "@playwright/test";
import { createDocument, editorText, expect, newContext, test } from "./fixtures/test.ts";

/** A CSP header split into its directives: name → source list. */
function directives(csp: string): Map<string, string[]> {
  const parsed = new Map<string, string[]>();
  for (const part of csp.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) parsed.set(name.toLowerCase(), sources);
  }
  return parsed;
}

/** The nonce of a script-src source list ('nonce-<value>'), or null. */
function nonceOf(scriptSrc: string[]): string | null {
  const source = scriptSrc.find((value) => /^'nonce-[^']+'$/.test(value));
  return source ? source.slice("'nonce-".length, -1) : null;
}

/** The ws(s):// origin of an http(s):// URL. */
function socketOrigin(url: string): string {
  const origin = new URL(url);
  return `${origin.protocol === "https:" ? "wss:" : "ws:"}//${origin.host}`;
}

/** Records CSP violations a page reports (console) so a test can assert there were none. */
function recordViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test("every page response has a script-src with a fresh nonce, no 'unsafe-inline', and connect-src only to our origin", async ({ api, app }) => {
  const id = await createDocument(api, "Nonces");
  const nonces = new Set<string>();
  for (const path of ["/", "/", `/d/${id}`]) {
    const response = await api.get(path);
    expect(response.status(), path).toBe(200);
    const csp = response.headers()["content-security-policy"];
    expect(csp, path).toBeTruthy();
    const policy = directives(csp);
    const scriptSrc = policy.get("script-src") ?? [];
    expect(scriptSrc, path).not.toContain("'unsafe-inline'");
    expect(scriptSrc, path).not.toContain("'unsafe-eval'");
    const nonce = nonceOf(scriptSrc);
    expect(nonce, `${path}: script-src ${scriptSrc.join(" ")}`).not.toBeNull();
    // At least 128 bits of base64: not guessable.
    expect(nonce!.length, path).toBeGreaterThanOrEqual(22);
    nonces.add(nonce!);
    // Next's own inline scripts in this very response carry this response's nonce.
    const html = await response.text();
    expect(html, path).toContain(`nonce="${nonce}"`);
    expect(policy.get("connect-src"), path).toEqual(["'self'", socketOrigin(app.baseUrl)]);
    // The rest of the policy is still there.
    expect(policy.get("default-src"), path).toEqual(["'self'"]);
    expect(policy.get("object-src"), path).toEqual(["'none'"]);
    expect(policy.get("frame-ancestors"), path).toEqual(["'none'"]);
    expect(policy.get("base-uri"), path).toEqual(["'self'"]);
  }
  // One nonce per response: three responses, three nonces.
  expect(nonces.size).toBe(3);
});

test("an injected inline script without the nonce does not run and raises a violation", async ({ ownerPage: page, api }) => {
  const id = await createDocument(api, "Injection");
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  const outcome = await page.evaluate(async () => {
    const violation = new Promise<{ directive: string; blocked: string } | null>((resolve) => {
      document.addEventListener(
        "securitypolicyviolation",
        (event) => resolve({ directive: event.effectiveDirective, blocked: event.blockedURI }),
        { once: true },
      );
      setTimeout(() => resolve(null), 3_000);
    });
    const script = document.createElement("script");
    script.textContent = "window.__pwned = true;";
    document.body.appendChild(script);
    const seen = await violation;
    return { pwned: (window as unknown as { __pwned?: boolean }).__pwned, violation: seen };
  });
  expect(outcome.pwned).toBeUndefined();
  expect(outcome.violation).not.toBeNull();
  expect(outcome.violation!.directive).toMatch(/^script-src/);
  expect(outcome.violation!.blocked).toBe("inline");
});

test("under the policy the home page hydrates and a new document opens and syncs to a second browser", async ({ ownerPage: page, browser, baseURL, ownerState }) => {
  const violations = recordViolations(page);
  // The "new document" button is a client component: clicking it works only once hydrated.
  await page.goto("/");
  await page.getByTestId("new-document").click();
  await expect(page).toHaveURL(/\/d\/[A-Za-z0-9_-]+$/);
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await page.locator(".ProseMirror").click();
  await page.keyboard.type("synced under a strict CSP");
  await expect(page.getByTestId("save-status")).toHaveText("Saved");

  // A second browser opens the same document over its own WebSocket and sees the text.
  const otherContext = await newContext(browser, baseURL, ownerState);
  const other = await otherContext.newPage();
  const otherViolations = recordViolations(other);
  await other.goto(new URL(page.url()).pathname);
  await expect(other.getByTestId("connection-status")).toHaveText("Connected");
  await expect.poll(() => editorText(other)).toContain("synced under a strict CSP");
  // And its typing reaches the first.
  await other.locator(".ProseMirror").click();
  await other.keyboard.press("End");
  await other.keyboard.type(" and back");
  await expect.poll(() => editorText(page)).toContain("and back");
  await otherContext.close();

  expect(violations).toEqual([]);
  expect(otherViolations).toEqual([]);
});
