import assert from "node:assert/strict";
import { test } from "node:test";
import {
  decodeDocumentListCursor,
  decodePageCursor,
  decodeRankCursor,
  decodeTitleCursor,
  encodeDocumentListCursor,
  encodePageCursor,
  encodeRankCursor,
  encodeTitleCursor,
} from "./documentListCursor.ts";

test("a cursor survives the round trip exactly and is URL-safe", () => {
  const cursor = { updatedAt: new Date(Date.UTC(2031, 4, 6, 7, 8, 9, 123)), id: "aZ09_-xyz" };
  const text = encodeDocumentListCursor(cursor);
  assert.equal(encodeURIComponent(text), text);
  assert.deepEqual(decodeDocumentListCursor(text), cursor);
});

test("anything else is not a cursor", () => {
  for (const text of ["", "nonsense", "123", ".abc", "123.", "12a.abc", "123.a.b", "123.a b", "123.a\u0000", "9999999999999999.abc", `1.${"a".repeat(65)}`]) {
    assert.equal(decodeDocumentListCursor(text), null, JSON.stringify(text));
  }
});

test("title and rank cursors survive the round trip, URL-safe, whatever the title", () => {
  for (const title of ["", "Plain", "Ölkanne 🚀 日本語", "a.b.c", "x".repeat(200)]) {
    const text = encodeTitleCursor({ title, id: "abc_-1" });
    assert.equal(encodeURIComponent(text), text);
    assert.deepEqual(decodeTitleCursor(text), { title, id: "abc_-1" });
  }
  for (const rank of [0.0607927, 1, 1e-20, 0.1, 0.99999994]) {
    const text = encodeRankCursor({ rank, id: "abc" });
    assert.equal(encodeURIComponent(text), text);
    assert.deepEqual(decodeRankCursor(text), { rank, id: "abc" });
  }
});

test("a cursor must follow the sort it was made for", () => {
  const time = encodePageCursor({ sort: "updated", cursor: { updatedAt: new Date(5), id: "abc" } });
  const title = encodePageCursor({ sort: "title", cursor: { title: "T", id: "abc" } });
  assert.equal(decodePageCursor(time, "title"), null);
  assert.equal(decodePageCursor(title, "updated"), null);
  assert.deepEqual(decodePageCursor(title, "title"), { sort: "title", cursor: { title: "T", id: "abc" } });
  for (const text of ["t", "t!!.abc", "t/w==.abc", "r.abc", "rx.abc", "r1.", "r1.a.b"]) {
    assert.equal(decodeTitleCursor(text) ?? decodeRankCursor(text), null, text);
  }
});
