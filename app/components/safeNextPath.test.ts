// safeNextPath must turn anything a browser could resolve to another origin into "/", and
// keep every ordinary path on this site (with its query and fragment) as it was.
import assert from "node:assert/strict";
import { test } from "node:test";
import { safeNextPath } from "./safeNextPath.ts";

test("attack inputs that leave the site, or that carry control characters, become /", () => {
  const attacks = [
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example", // browsers drop the tab: //evil.example
    "/\n/evil.example",
    "/\r/evil.example",
    "/\u0000/evil.example",
    "/\u000b/evil.example",
    "/\u007f/evil.example",
    "/\u0085/evil.example",
    "\t//evil.example",
    " //evil.example",
    "https://evil.example",
    "https:evil.example",
    "http://evil.example/d/abc",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "///evil.example",
    "/.//evil.example", // the parser drops "/." and leaves "//evil.example"
    "/..//evil.example",
    "/\\/evil.example",
    "/%09/evil.example", // as Next decodes it: "/\t/evil.example" above; undecoded it must stay a path
    "%2F%2Fevil.example",
    "/d/abc\u0000",
    "/d/abc\n",
    "evil.example",
    "",
  ];
  for (const value of attacks) {
    const result = safeNextPath(value);
    assert.ok(result === "/" || (result.startsWith("/") && !result.startsWith("//")), `${JSON.stringify(value)} -> ${result}`);
    // The result must stay on our origin whatever base a browser resolves it against.
    assert.equal(new URL(result, "https://app.example").origin, "https://app.example", JSON.stringify(value));
    assert.doesNotMatch(result, /[\u0000-\u001f\u007f-\u009f\\]/, JSON.stringify(value));
  }
  for (const value of ["//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\u0000/evil.example", "https://evil.example", "javascript:alert(1)", "%2F%2Fevil.example", "/.//evil.example", ""]) {
    assert.equal(safeNextPath(value), "/", JSON.stringify(value));
  }
});

test("percent-encoded slashes stay an encoded path segment, never a second slash", () => {
  // "/%2F/evil.example" is one path on this site ("/%2F/evil.example"), not "//evil.example".
  const result = safeNextPath("/%2F/evil.example");
  assert.equal(new URL(result, "https://app.example").origin, "https://app.example");
  assert.ok(!result.startsWith("//"));
  assert.equal(safeNextPath("/%09/evil.example"), "/%09/evil.example");
});

test("ordinary paths on the site are kept with their query and fragment", () => {
  assert.equal(safeNextPath("/"), "/");
  assert.equal(safeNextPath("/d/abc"), "/d/abc");
  assert.equal(safeNextPath("/d/abc?token=x#h"), "/d/abc?token=x#h");
  assert.equal(safeNextPath("/d/abc_-XYZ?token=a-b_c&x=1"), "/d/abc_-XYZ?token=a-b_c&x=1");
  assert.equal(safeNextPath("/d/caf%C3%A9"), "/d/caf%C3%A9");
});

test("undefined and arrays: the first value counts, nothing means /", () => {
  assert.equal(safeNextPath(undefined), "/");
  assert.equal(safeNextPath([]), "/");
  assert.equal(safeNextPath(["/d/abc", "//evil.example"]), "/d/abc");
  assert.equal(safeNextPath(["//evil.example", "/d/abc"]), "/");
});
