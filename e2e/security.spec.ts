// Security headers on the app's pages, and the app still works under its own policy.

import { createDocument, expect, test } from "./fixtures/test.ts";

test("pages carry a CSP, frame-ancestors, referrer policy and nosniff; the editor works under them", async ({ ownerPage: page, api }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const id = await createDocument(api, "Headers");
  for (const path of ["/", `/d/${id}`]) {
    const response = await page.goto(path);
    const headers = response!.headers();
    const csp = headers["content-security-policy"];
    expect(csp, path).toContain("default-src 'self'");
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).toContain("object-src 'none'");
    expect(headers["x-frame-options"], path).toBe("DENY");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["x-powered-by"], path).toBeUndefined();
  }
  // Under the policy the editor still connects over the WebSocket and accepts typing.
  await expect(page.getByTestId("connection-status")).toHaveText("Connected");
  await page.locator(".ProseMirror").click();
  await page.keyboard.type("typed under CSP");
  await expect(page.locator(".ProseMirror")).toContainText("typed under CSP");
  expect(violations).toEqual([]);
});
