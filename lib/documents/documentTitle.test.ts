// What any client writes into the live title is shown and stored as a clean one-line title.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_DOCUMENT_TITLE, DOCUMENT_TITLE_MAX_CHARS, displayDocumentTitle } from "./documentTitle.ts";

test("displayDocumentTitle: trimmed, one line, no control characters, bounded, never empty", () => {
  assert.equal(displayDocumentTitle("  Quarterly plan  "), "Quarterly plan");
  assert.equal(displayDocumentTitle("two\nlines\tand\r\ntabs"), "two lines and tabs");
  assert.equal(displayDocumentTitle("nul\u0000 del\u007f lone\ud800"), "nul del lone");
  assert.equal(displayDocumentTitle(""), DEFAULT_DOCUMENT_TITLE);
  assert.equal(displayDocumentTitle(" \n\t "), DEFAULT_DOCUMENT_TITLE);
  assert.equal(displayDocumentTitle("\u0000"), DEFAULT_DOCUMENT_TITLE);
  // Cut at the limit in code points: an emoji counts once and is never split.
  assert.equal(displayDocumentTitle("🎉".repeat(DOCUMENT_TITLE_MAX_CHARS + 5)), "🎉".repeat(DOCUMENT_TITLE_MAX_CHARS));
  assert.equal(displayDocumentTitle("Café ☕ 会議"), "Café ☕ 会議");
});
