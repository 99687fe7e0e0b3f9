// Every Tiptap package that is installed is the one version the editor is pinned to, and every
// Tiptap peer requirement is met by it: two versions of Tiptap's core in one bundle break the
// editor's extension checks, and npm warned "ERESOLVE overriding peer dependency" at every
// install while @tiptap/react pulled its menus at a newer version (package.json `overrides`).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** Tiptap's y-prosemirror fork is versioned on its own. */
const SEPARATELY_VERSIONED = new Set(["@tiptap/y-tiptap"]);

function readJson(file: string): { version: string; peerDependencies?: Record<string, string>; dependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(file, "utf8"));
}

test("one Tiptap version installed, and every Tiptap peer requirement met by it", () => {
  const pinned = readJson(path.join(ROOT, "package.json")).dependencies!["@tiptap/core"];
  const installed = readdirSync(path.join(ROOT, "node_modules/@tiptap")).map((name) => {
    const manifest = readJson(path.join(ROOT, "node_modules/@tiptap", name, "package.json"));
    return { name: `@tiptap/${name}`, ...manifest };
  });
  const wrongVersion = installed.filter((p) => !SEPARATELY_VERSIONED.has(p.name) && p.version !== pinned).map((p) => `${p.name}@${p.version}`);
  assert.deepEqual(wrongVersion, [], `every @tiptap/* at ${pinned}`);
  const unmetPeers = installed.flatMap((p) =>
    Object.entries(p.peerDependencies ?? {})
      .filter(([peer, range]) => peer.startsWith("@tiptap/") && !SEPARATELY_VERSIONED.has(peer) && range !== pinned && range !== `^${pinned}`)
      .map(([peer, range]) => `${p.name} wants ${peer}@${range}`),
  );
  assert.deepEqual(unmetPeers, []);
});
