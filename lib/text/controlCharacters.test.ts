import assert from "node:assert/strict";
import { test } from "node:test";
import { containsControlCharacter, withoutControlCharacters } from "./controlCharacters.ts";

test("C0 (tab and line breaks included), DEL, C1 and lone surrogates are found anywhere", () => {
  for (const code of [0x00, 0x01, 0x09, 0x0a, 0x0d, 0x1b, 0x1f, 0x7f, 0x80, 0x85, 0x9f]) {
    const c = String.fromCharCode(code);
    assert.equal(containsControlCharacter(`a${c}b`), true, code.toString(16));
    assert.equal(containsControlCharacter(c), true, code.toString(16));
  }
  assert.equal(containsControlCharacter("lone \ud800 high"), true);
  assert.equal(containsControlCharacter("lone \udc00 low"), true);
  assert.equal(containsControlCharacter("reversed \udc00\ud800 pair"), true);
});

test("ordinary text, including non-Latin scripts and emoji (surrogate pairs), passes", () => {
  for (const text of ["", "Quarterly plan", "Café – résumé", "会議メモ", "שלום", "🎉 party 👩‍👩‍👧", "a\u00a0b", "\u00a0\u00ff"]) {
    assert.equal(containsControlCharacter(text), false, JSON.stringify(text));
  }
});

test("withoutControlCharacters drops exactly what containsControlCharacter finds", () => {
  assert.equal(withoutControlCharacters("a\u0000b\tc\u007f\u0085d\ud800e😀"), "abcde😀");
  assert.equal(containsControlCharacter(withoutControlCharacters("x\n\u0001y\udc00")), false);
});
