import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeDocumentListCursor, encodeDocumentListCursor } from "./documentListCursor.ts";

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
