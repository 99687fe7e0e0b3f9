// Code block colouring: a block whose language is "Plain text" (none) stays uncoloured, as the
// language picker says, instead of being guessed (guessing ran every grammar over every code
// block of the document on each keystroke in one); picking a language colours it.
import { test, expect, createDocument } from "./fixtures/test.ts";

test("a code block without a language is plain text; choosing JavaScript colours it", async ({ ownerPage: page, api }) => {
  const id = await createDocument(api, "Code colours");
  await page.goto(`/d/${id}`);
  await expect(page.getByTestId("editor")).toHaveAttribute("data-editable", "true");
  await page.locator(".ProseMirror").click();
  await page.getByTestId("toolbar-code-block").click();
  await page.keyboard.type("function answer() { return 42; }");
  const code = page.locator(".ProseMirror pre");
  await expect(code).toContainText("function answer() { return 42; }");
  await expect(page.getByTestId("toolbar-code-language")).toHaveValue("");
  await expect(code.locator("[class*=hljs-]")).toHaveCount(0);

  await page.getByTestId("toolbar-code-language").selectOption("javascript");
  await expect(code.locator(".hljs-keyword").first()).toHaveText("function");
  await expect(code.locator(".hljs-number")).toHaveText("42");
});
