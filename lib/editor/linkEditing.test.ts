// What the link dialog accepts: http(s), mailto and relative addresses (bare domains and
// e-mail addresses get their scheme); anything that could run script is refused with a reason.
import assert from "node:assert/strict";
import { test } from "node:test";
import { hrefFromInput } from "./linkEditing.ts";
import { matchBlockCommands } from "./blockCommands.ts";

test("safe addresses become hrefs, bare domains and e-mail addresses get their scheme", () => {
  const cases: [string, string][] = [
    ["https://example.com/a?b=c", "https://example.com/a?b=c"],
    ["  http://example.com  ", "http://example.com"],
    ["mailto:ada@example.com", "mailto:ada@example.com"],
    ["example.com/docs", "https://example.com/docs"],
    ["sub.example.co.uk", "https://sub.example.co.uk"],
    ["ada@example.com", "mailto:ada@example.com"],
    ["/d/abc", "/d/abc"],
    ["#section", "#section"],
    ["../x", "../x"],
  ];
  for (const [input, href] of cases) assert.deepEqual(hrefFromInput(input), { href }, input);
});

test("script and data addresses are refused with a reason, however they are disguised", () => {
  for (const input of ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>x</script>", "vbscript:x", "file:///etc/passwd", ""]) {
    const result = hrefFromInput(input);
    assert.ok("error" in result, input);
  }
});

test("the slash menu's filter matches labels and keywords by word prefix", () => {
  assert.deepEqual(matchBlockCommands("head").map((c) => c.id), ["heading1", "heading2", "heading3"]);
  assert.deepEqual(matchBlockCommands("todo").map((c) => c.id), ["taskList"]);
  assert.deepEqual(matchBlockCommands("TAB").map((c) => c.id), ["table"]);
  assert.equal(matchBlockCommands("").length, 11);
  assert.deepEqual(matchBlockCommands("zzz"), []);
});
