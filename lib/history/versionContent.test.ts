// A version's JSON from the history API, made ready to show (labelled changes) and to restore
// (the version alone).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { JSONContent } from "@tiptap/core";
import { hasChanges, labelledChanges, versionContent } from "./versionContent.ts";

const marked: JSONContent = {
  type: "doc",
  content: [
    {
      type: "paragraph",
      content: [
        { type: "text", text: "Kept " },
        { type: "text", text: "new", marks: [{ type: "bold" }, { type: "historyChange", attrs: { change: "added", author: "u1" } }] },
        { type: "text", text: " gone", marks: [{ type: "historyChange", attrs: { change: "removed", author: "u2" } }] },
      ],
    },
    { type: "horizontalRule", attrs: { historyChange: "removed" } },
    { type: "paragraph", attrs: { historyChange: "added" }, content: [{ type: "text", text: "Whole", marks: [{ type: "historyChange", attrs: { change: "added", author: null } }] }] },
  ],
};

test("versionContent: the version alone, without removed text or nodes and without change marks", () => {
  assert.deepEqual(versionContent(marked), {
    type: "doc",
    content: [
      { type: "paragraph", content: [{ type: "text", text: "Kept " }, { type: "text", text: "new", marks: [{ type: "bold" }] }] },
      { type: "paragraph", attrs: {}, content: [{ type: "text", text: "Whole" }] },
    ],
  });
  assert.equal(hasChanges(marked), true);
  assert.equal(hasChanges(versionContent(marked)), false);
});

test("labelledChanges: each change gets its author's colour and a label; unknown authors a plain one", () => {
  const labelled = labelledChanges(marked, [
    { id: "u1", name: "Ann", color: "#112233" },
    { id: "u2", name: "Ben", color: "#445566" },
  ]);
  const [first, , third] = labelled.content!;
  assert.deepEqual(first.content![1].marks![1].attrs, { change: "added", author: "u1", color: "#112233", label: "Added by Ann" });
  assert.deepEqual(first.content![2].marks![0].attrs, { change: "removed", author: "u2", color: "#445566", label: "Removed by Ben" });
  assert.deepEqual(third.content![0].marks![0].attrs, { change: "added", author: null, color: null, label: "Added" });
});
