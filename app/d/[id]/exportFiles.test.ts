// File names and the standalone HTML page of the Export menu.
import assert from "node:assert/strict";
import { test } from "node:test";
import { downloadFileName, standaloneHtml } from "./exportFiles.ts";

test("file names keep the title's words and lose what a file system refuses", () => {
  assert.equal(downloadFileName("Meeting notes", "md"), "Meeting notes.md");
  assert.equal(downloadFileName("Q3: plan/budget <draft>?", "html"), "Q3 plan budget draft.html");
  assert.equal(downloadFileName("../../etc/passwd", "md"), "etc passwd.md");
  assert.equal(downloadFileName("  ...hidden  ", "md"), "hidden.md");
  assert.equal(downloadFileName("tab\there\u0000", "md"), "tab here.md");
  assert.equal(downloadFileName("", "md"), "document.md");
  assert.equal(downloadFileName("///", "html"), "document.html");
  assert.equal(downloadFileName("Résumé 📄", "md"), "Résumé 📄.md");
  assert.equal(downloadFileName("x".repeat(300), "md"), `${"x".repeat(100)}.md`);
});

test("the HTML page is complete, escapes the title and points relative URLs at our origin", () => {
  const page = standaloneHtml("<script>alert(1)</script> & co", "<p>Body</p>", "https://docs.example.com");
  assert.match(page, /^<!doctype html>/);
  assert.match(page, /<base href="https:\/\/docs.example.com\/">/);
  assert.match(page, /<title>&#60;script&#62;alert\(1\)&#60;\/script&#62; &#38; co<\/title>/);
  assert.ok(!page.includes("<script>"), "the title cannot inject markup");
  assert.match(page, /<style>[^<]+<\/style>/);
  assert.match(page, /<p>Body<\/p>/);
});
