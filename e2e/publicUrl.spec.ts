// Reaching the server at an address other than PUBLIC_URL (here 127.0.0.1 while PUBLIC_URL
// is http://localhost:<port>): the sign-in page says why sign-in will fail and how to fix it,
// and a sign-in attempt answers the same, never a bare "Invalid origin".
import { test, expect, newContext } from "./fixtures/test";

test("a page opened at another address than PUBLIC_URL explains the mismatch and the fix", async ({ browser, baseURL, owner }) => {
  const other = baseURL.replace("//localhost:", "//127.0.0.1:");
  expect(other).not.toBe(baseURL);
  const page = await (await newContext(browser, other, null)).newPage();
  await page.goto(`${other}/sign-in`);
  const warning = page.getByTestId("origin-warning");
  await expect(warning).toContainText(`opened at ${other}`);
  await expect(warning).toContainText(`PUBLIC_URL is ${baseURL}`);

  await page.getByTestId("auth-email").fill(owner.email);
  await page.getByTestId("auth-password").fill("correct horse battery");
  await page.getByTestId("auth-submit").click();
  await expect(page.getByTestId("auth-error")).toContainText(`Open ${baseURL} instead`);
  await expect(page.getByTestId("auth-error")).not.toContainText("Invalid origin");
  await page.context().close();
});
