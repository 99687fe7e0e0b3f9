import assert from "node:assert/strict";
import { test } from "node:test";
import { CODE_LANGUAGES, highlighter, loadCodeLanguages, lowlight } from "./codeBlock.ts";

test("before the grammars load, code shows as plain text; the picker offers exactly the languages that load", async () => {
  assert.deepEqual(lowlight.listLanguages(), []);
  const plain = highlighter.highlightAuto("const answer = 42;");
  assert.deepEqual(plain.children, [{ type: "text", value: "const answer = 42;" }]);
  await loadCodeLanguages();
  assert.deepEqual([...CODE_LANGUAGES], lowlight.listLanguages().sort());
});

test("once loaded, a code block's language colours it", async () => {
  await loadCodeLanguages();
  const tree = lowlight.highlight("javascript", "const answer = 42;");
  const classes: string[] = JSON.stringify(tree).match(/hljs-[a-z]+/g) ?? [];
  assert.ok(classes.includes("hljs-keyword"), `keyword coloured: ${classes.join(", ")}`);
});
