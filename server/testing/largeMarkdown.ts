// A large, realistic Markdown text for import tests and benchmarks: sections of prose with
// inline marks and links, lists, quotes and code, like a long technical document. Deterministic.

const WORDS = (
  "the server keeps every document in a shared structure that merges concurrent edits without conflicts " +
  "so two people typing in the same paragraph both see their words survive and the history stays intact " +
  "while offline copies catch up when the network returns and nothing acknowledged is ever lost"
).split(" ");

function sentence(seed: number, length: number): string {
  const words: string[] = [];
  for (let i = 0; i < length; i++) words.push(WORDS[(seed * 7 + i * 13) % WORDS.length]);
  return words.join(" ");
}

/** One section of about 1.5 KB, varied by `n`. */
function section(n: number): string {
  return [
    `## Section ${n}: ${sentence(n, 4)}`,
    `${sentence(n, 30)}, with **${sentence(n + 1, 3)}** and *${sentence(n + 2, 2)}* and \`code_${n}()\` and a [link](https://example.com/docs/${n}). ${sentence(n + 3, 25)}.`,
    `- ${sentence(n + 4, 8)}\n- ${sentence(n + 5, 6)} with ~~strike~~\n  - ${sentence(n + 6, 5)}`,
    `> ${sentence(n + 7, 20)}.`,
    `1. ${sentence(n + 8, 7)}\n2. ${sentence(n + 9, 9)}`,
    "```\n" + `function step${n}(state) {\n  return state.apply(${n});\n}` + "\n```",
    `${sentence(n + 10, 40)}.`,
  ].join("\n\n");
}

/** Markdown of at most `bytes` UTF-8 bytes (ASCII, so characters), and close to it. */
export function largeMarkdown(bytes: number): string {
  const parts = ["# A long document"];
  let length = parts[0].length;
  for (let n = 1; ; n++) {
    const next = section(n);
    if (length + 2 + next.length > bytes) break;
    parts.push(next);
    length += 2 + next.length;
  }
  return parts.join("\n\n");
}
