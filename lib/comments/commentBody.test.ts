import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCommentBody } from "./commentBody.ts";
import { commentBodyProblem, parseCommentRequest } from "./commentModel.ts";

test("links (http and https only) and mentions become parts; markup stays text", () => {
  const parts = parseCommentBody("See https://example.com/a?b=1. Ask @Ann Lee, not javascript:alert(1) <b>x</b>", [{ userId: "u1", name: "Ann Lee" }]);
  assert.deepEqual(parts, [
    { kind: "text", text: "See " },
    { kind: "link", text: "https://example.com/a?b=1", href: "https://example.com/a?b=1" },
    { kind: "text", text: ". Ask " },
    { kind: "mention", text: "@Ann Lee", userId: "u1" },
    { kind: "text", text: ", not javascript:alert(1) <b>x</b>" },
  ]);
});

test("a body is plain text, not empty, at most 5,000 characters", () => {
  assert.equal(commentBodyProblem("fine\nwith a line break"), null);
  assert.equal(commentBodyProblem("x".repeat(5_001))?.code, "too_large");
  assert.equal(commentBodyProblem(" \n ")?.code, "bad_request");
  assert.equal(commentBodyProblem("bell \u0007")?.code, "bad_request");
  assert.equal(commentBodyProblem(42)?.code, "bad_request");
});

test("requests are checked field by field", () => {
  assert.equal(parseCommentRequest({ op: "reply", threadId: "../etc", body: "x" }).ok, false);
  assert.equal(parseCommentRequest({ op: "create", anchor: { start: "AA==", end: 3 }, quote: "", body: "x" }).ok, false);
  assert.equal(parseCommentRequest({ op: "resolve", threadId: "abc" }).ok, true);
  const parsed = parseCommentRequest({ op: "reply", threadId: "abc", body: "hi", mentions: ["u1", "u1", "u2"] });
  assert.ok(parsed.ok && parsed.request.op === "reply");
  assert.deepEqual(parsed.ok && "mentions" in parsed.request ? parsed.request.mentions : null, ["u1", "u2"]);
});
