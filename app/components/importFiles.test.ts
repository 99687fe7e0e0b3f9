// Which files the home page imports, and what it says about the others before uploading.
import assert from "node:assert/strict";
import { test } from "node:test";
import { importContentType, importRefusal, titleFromFileName } from "./importFiles.ts";
import { MAX_IMPORT_BYTES } from "../../lib/documents/importLimits.ts";
import { MAX_REQUEST_BODY_BYTES } from "../../server/http/limitRequestBody.ts";

test("the browser's limit is the server's request body limit", () => {
  assert.equal(MAX_IMPORT_BYTES, MAX_REQUEST_BODY_BYTES);
});

test("Markdown, plain text and HTML files are sent as what they are; others are refused by name", () => {
  assert.equal(importContentType("notes.md"), "text/markdown");
  assert.equal(importContentType("Notes.MARKDOWN"), "text/markdown");
  assert.equal(importContentType("readme.txt"), "text/markdown");
  assert.equal(importContentType("page.HTM"), "text/html");
  assert.equal(importContentType("page.html"), "text/html");
  assert.equal(importContentType("photo.png"), null);
  assert.equal(importContentType(".md"), null);
  assert.equal(importContentType("md"), null);
  assert.match(importRefusal({ name: "photo.png", size: 10 })!, /^photo\.png: only Markdown .* and HTML .* can be imported\.$/);
  assert.equal(importRefusal({ name: "notes.md", size: MAX_IMPORT_BYTES }), null);
  assert.equal(importRefusal({ name: "big.md", size: 50 * 1024 * 1024 }), "big.md is 50.0 MB; files up to 1.0 MB can be imported.");
});

test("a file's title fallback is its name without the ending", () => {
  assert.equal(titleFromFileName("Meeting notes.md"), "Meeting notes");
  assert.equal(titleFromFileName("archive.tar.html"), "archive.tar");
  assert.equal(titleFromFileName("README"), "README");
});
