// Reading who wrote a block off its Yjs items, and when, from the server's checkpoints.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as Y from "yjs";
import { timeOfClock, type ClientAuthor } from "./authors.ts";
import { authorNames, blockAuthorship } from "./blockAuthors.ts";

const author = (clientId: number, name: string, times: [number, number][]): ClientAuthor => ({
  clientId,
  userId: name,
  name,
  color: "#000000",
  firstSeen: "",
  lastSeen: "",
  times,
});

test("timeOfClock: the last checkpoint at or before the clock, bounded by the next", () => {
  const times: [number, number][] = [[0, 1_000], [10, 70_000], [25, 200_000]];
  assert.equal(timeOfClock(times, -1), null);
  assert.deepEqual(timeOfClock(times, 0), { from: 1_000, until: 70_000 });
  assert.deepEqual(timeOfClock(times, 12), { from: 70_000, until: 200_000 });
  assert.deepEqual(timeOfClock(times, 99), { from: 200_000, until: null });
});

test("a paragraph two people wrote in: both named (most text first), the newest time, deletions not counted", () => {
  const alice = new Y.Doc();
  const bob = new Y.Doc();
  const paragraph = new Y.XmlElement("paragraph");
  alice.getXmlFragment("default").insert(0, [paragraph]);
  const text = new Y.XmlText("Alice wrote a long sentence. ");
  paragraph.insert(0, [text]);
  Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
  const bobsText = (bob.getXmlFragment("default").get(0) as Y.XmlElement).get(0) as Y.XmlText;
  bobsText.insert(bobsText.length, "Bob added.");
  Y.applyUpdate(alice, Y.encodeStateAsUpdate(bob));
  const authors = new Map([
    [alice.clientID, author(alice.clientID, "Alice", [[0, 1_000]])],
    [bob.clientID, author(bob.clientID, "Bob", [[0, 5_000]])],
  ]);
  const block = alice.getXmlFragment("default").get(0) as Y.XmlElement;
  const authorship = blockAuthorship(block, authors);
  assert.deepEqual(authorNames(authorship), ["Alice", "Bob"]);
  assert.equal(authorship.lastChanged, 5_000);
  assert.deepEqual(authorship.unknownClients, []);

  // Bob's text deleted by Alice: he is no longer among the authors (a deletion has no author).
  text.delete(text.length - "Bob added.".length, "Bob added.".length);
  assert.deepEqual(authorNames(blockAuthorship(block, authors)), ["Alice"]);
  // An id the server has not told about yet is asked for.
  assert.deepEqual(blockAuthorship(block, new Map()).unknownClients, [alice.clientID]);
});
