// Comment events reach sockets on another instance of the deployment (through Redis, like
// document updates): one PostgreSQL, one Redis, two app instances.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startInstancePair, type InstancePair } from "../testing/instancePair.ts";
import { createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import { addParagraph, anchorIn, connectCommentClient, firstText, type CommentClient } from "../testing/commentClients.ts";
import { waitFor } from "../testing/yClients.ts";

process.env.LOG_LEVEL = "silent";
const redisUrl = process.env.REDIS_URL;

describe("comments across instances", { skip: !redisUrl || !process.env.DATABASE_URL ? "needs DATABASE_URL and REDIS_URL" : false }, () => {
  let pair: InstancePair;
  let owner: TestAccount;
  const clients: CommentClient[] = [];

  before(async () => {
    pair = await startInstancePair(redisUrl!, { SIGNUP: "open" });
    owner = await signUp(pair.one.access, "Owner Both");
  });
  after(async () => {
    for (const client of clients) client.close();
    await pair?.close();
  });

  test("a comment made on instance one is seen live on instance two, and a reply there is seen back", async () => {
    const id = await createOwnedDocument(pair.one.database.prisma, owner.id);
    const on = (server: typeof pair.one) => connectCommentClient(`ws://127.0.0.1:${server.port}/collab`, id, { cookie: owner.cookie, role: "owner" });
    const one = await on(pair.one);
    clients.push(one);
    addParagraph(one.doc, "Across two instances.");
    const two = await on(pair.two);
    clients.push(two);
    await waitFor(() => two.doc.getXmlFragment("default").length > 0, "the text on instance two");

    const created = await one.comments.request({ op: "create", anchor: anchorIn(firstText(one.doc), "two"), quote: "two", body: "seen over there?" });
    assert.ok(created.ok);
    await waitFor(() => two.comments.thread(created.thread.id) !== undefined, "instance two's socket gets the thread");
    const replied = await two.comments.request({ op: "reply", threadId: created.thread.id, body: "yes" });
    assert.ok(replied.ok);
    await waitFor(() => one.comments.thread(created.thread.id)?.comments.length === 2, "instance one's socket gets the reply");
  });
});
