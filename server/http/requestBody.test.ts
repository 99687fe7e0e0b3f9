// A body that fails its schema answers 400 bad_request with a message a person can act on: the
// schema's own message when it gives one, otherwise zod's prefixed with the field it is about.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "zod";
import { readBody, withoutControlCharacters } from "./requestBody.ts";

const Body = z.object(
  {
    name: z.string({ error: "Give it a name." }).trim().check(withoutControlCharacters("name")),
    days: z.int().min(1).max(365).optional(),
    tags: z.array(z.object({ label: z.string() })).optional(),
  },
  { error: "Body must be a JSON object." },
);

function post(body: string): Request {
  return new Request("http://127.0.0.1/", { method: "POST", headers: { "content-type": "application/json" }, body });
}

async function refusal(body: string): Promise<{ status: number; code: string; message: string; cacheControl: string | null }> {
  const read = await readBody(post(body), Body);
  assert.ok(!read.ok, `expected ${body} to be refused`);
  const { error } = (await read.response.json()) as { error: { code: string; message: string } };
  return { status: read.response.status, ...error, cacheControl: read.response.headers.get("cache-control") };
}

describe("readBody", () => {
  test("a valid body is parsed (and transformed) by its schema", async () => {
    const read = await readBody(post(JSON.stringify({ name: "  Draft  ", days: 7 })), Body);
    assert.deepEqual(read, { ok: true, body: { name: "Draft", days: 7 } });
  });

  test("a body that is not JSON, or not an object, gets the object's own message", async () => {
    for (const body of ["{not json", "[1, 2]", '"text"']) {
      assert.deepEqual(await refusal(body), { status: 400, code: "bad_request", message: "Body must be a JSON object.", cacheControl: "no-store" });
    }
  });

  test("a field with its own message answers with it", async () => {
    assert.equal((await refusal(JSON.stringify({ name: 3 }))).message, "Give it a name.");
    assert.equal((await refusal(JSON.stringify({}))).message, "Give it a name.");
    assert.match((await refusal(JSON.stringify({ name: "a\u0000b" }))).message, /^name must not contain control characters/);
  });

  test("a check without a message is named by its field's path", async () => {
    assert.equal((await refusal(JSON.stringify({ name: "ok", days: 400 }))).message, "days: Too big: expected number to be <=365");
    assert.equal((await refusal(JSON.stringify({ name: "ok", tags: [{ label: 1 }] }))).message, "tags.0.label: Invalid input: expected string, received number");
  });

  test("the first problem in the schema's field order answers", async () => {
    assert.equal((await refusal(JSON.stringify({ days: 0 }))).message, "Give it a name.");
  });
});
