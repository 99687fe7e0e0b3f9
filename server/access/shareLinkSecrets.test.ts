// Only the SHA-256 of a share link's secret is stored: a link made through the API leaves its
// secret in no column of its row and nowhere else in the database (neither as text nor as
// bytes), while the hash is there and is what a request presenting the secret is matched on.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { databaseKinds } from "../testing/testDatabase.ts";
import { apiRequest, routeParams, startApiContext, type ApiTestContext } from "../testing/apiFixtures.ts";
import { createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import { SHARE_TOKEN_HEADER } from "./requestAccess.ts";
import * as linksRoute from "../../app/api/documents/[id]/links/route.ts";
import * as documentRoute from "../../app/api/documents/[id]/route.ts";

for (const kind of databaseKinds) {
  describe(`share link secrets at rest (${kind})`, () => {
    let context: ApiTestContext;
    let owner: TestAccount;
    let documentId: string;

    before(async () => {
      context = (await startApiContext(kind, { SIGNUP: "open" }))!;
      owner = await signUp(context.access, "Olga Owner");
      documentId = await createOwnedDocument(context.database.prisma, owner.id, "Shared");
    });
    after(async () => {
      await context?.close();
    });

    test("a link created through the API is stored as the SHA-256 of its secret, and the secret is nowhere", async () => {
      const created = await linksRoute.POST(
        apiRequest(`/api/documents/${documentId}/links`, { method: "POST", account: owner, body: { role: "viewer", expiresInDays: 7 } }),
        routeParams({ id: documentId }),
      );
      assert.equal(created.status, 201);
      const { link, url } = (await created.json()) as { link: { id: string }; url: string };
      const secret = new URL(url).searchParams.get("token");
      assert.ok(secret && secret.length >= 43, `the URL carries the secret: ${url}`);
      const hash = createHash("sha256").update(secret).digest("hex");

      // The secret opens the document: it is the real one, matched through its hash.
      const opened = await documentRoute.GET(
        new Request(`http://127.0.0.1:3999/api/documents/${documentId}`, { headers: { [SHARE_TOKEN_HEADER]: secret } }),
        routeParams({ id: documentId }),
      );
      assert.equal(opened.status, 200);
      assert.equal(((await opened.json()) as { role: string }).role, "viewer");

      // Every spelling the secret could be stored in: itself, its UTF-8 bytes (as bytea reads
      // as text: \x + hex), and its 32 random bytes (hex, as bytea, or standard base64).
      const raw = Buffer.from(secret, "base64url");
      const needles = {
        secret,
        "secret as bytes": Buffer.from(secret, "utf8").toString("hex"),
        "raw bytes as hex / bytea": raw.toString("hex"),
        "raw bytes as base64": raw.toString("base64").replace(/=+$/, ""),
      };
      const { sql } = context.database;

      // Each column of the link's row, whatever its type, read as text.
      const columns = await sql.query<{ column_name: string; data_type: string }>(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'share_links'",
      );
      const names = columns.map((c) => c.column_name);
      assert.ok(names.includes("secret_hash") && columns.some((c) => c.data_type === "text"), `columns found: ${names.join(", ")}`);
      for (const { column_name: column } of columns) {
        const [row] = await sql.query<{ value: string | null }>(`SELECT "${column}"::text AS value FROM share_links WHERE id = $1`, [link.id]);
        for (const [what, needle] of Object.entries(needles)) {
          assert.ok(!(row.value ?? "").includes(needle), `share_links.${column} holds the ${what}`);
        }
      }
      const [stored] = await sql.query<{ secret_hash: string; dump: string }>(
        "SELECT secret_hash, to_jsonb(s)::text AS dump FROM share_links s WHERE id = $1",
        [link.id],
      );
      assert.equal(stored.secret_hash, hash, "the row keeps the SHA-256 of the secret");
      assert.ok(stored.dump.includes(hash));

      // The whole database, table by table, row by row.
      const tables = await sql.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
      );
      assert.ok(tables.length >= 5, `tables found: ${tables.map((t) => t.table_name).join(", ")}`);
      for (const { table_name: table } of tables) {
        for (const [what, needle] of Object.entries(needles)) {
          const [{ n }] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" AS r WHERE strpos(to_jsonb(r)::text, $1) > 0`, [needle]);
          assert.equal(n, 0, `${table} holds the ${what}`);
        }
      }

      // Nor does the API hand it (or its hash) out again.
      const listed = await linksRoute.GET(apiRequest(`/api/documents/${documentId}/links`, { account: owner }), routeParams({ id: documentId }));
      assert.equal(listed.status, 200);
      const listing = await listed.text();
      assert.ok(listing.includes(link.id));
      assert.ok(!listing.includes(secret) && !listing.includes(hash), `the listing shows neither secret nor hash: ${listing}`);
    });
  });
}
