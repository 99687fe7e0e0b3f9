// Code blocks with syntax highlighting. lowlight (highlight.js grammars, no DOM) colours the
// code in the editor through decorations only, so the document holds just the text and its
// language, and the server can load this file to build the schema without a browser.
import type { JSONContent, MarkdownRendererHelpers } from "@tiptap/core";
import { CodeBlockLowlight } from "@tiptap/extension-code-block-lowlight";
import { common, createLowlight } from "lowlight";

/** highlight.js's "common" set (about 35 languages: the usual web, systems and scripting ones),
 *  small enough for the editor bundle; a fence with another language keeps it, uncoloured. */
export const lowlight = createLowlight(common);

/**
 * lowlight as the editor's code blocks use it: a block that names no language is shown
 * uncoloured instead of guessed. Guessing (highlightAuto) runs every grammar of the set over
 * the block, ~10 ms a block, and extension-code-block-lowlight 3.31.3 recolours every code block
 * of the document whenever a transaction touches one: opening a 100 KB document with 65
 * unlabelled blocks spent 400 ms of its 650 ms sync in it (bench/open.ts, Chromium's
 * profiler), and every keystroke in a code block paid it again for all of them.
 */
const highlighter: typeof lowlight = {
  ...lowlight,
  highlightAuto: (value: string) => lowlight.highlight("plaintext", value),
};

/** Languages offered for a code block, sorted, for a picker. */
export const CODE_LANGUAGES: readonly string[] = lowlight.listLanguages().sort();

/** The schema's code block (same name as StarterKit's; Markdown as a fence with the language).
 *  The fence is longer than any run of backticks in the code: extension-code-block 3.31.3
 *  always writes three, so code containing ``` ended its own block early on the way back. */
export const codeBlock = CodeBlockLowlight.extend({
  renderMarkdown(node: JSONContent, helpers: MarkdownRendererHelpers) {
    const code = node.content ? helpers.renderChildren(node.content) : "";
    const longestRun = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(Math.max(3, longestRun + 1));
    return `${fence}${node.attrs?.language ?? ""}\n${code}\n${fence}`;
  },
}).configure({ lowlight: highlighter, defaultLanguage: null });
