// Code blocks with syntax highlighting. lowlight (highlight.js grammars, no DOM) colours the
// code in the editor through decorations only, so the document holds just the text and its
// language, and the server can load this file to build the schema without a browser.
//
// The grammars (~190 KB of the editor's scripts) are loaded after the editor is created
// (codeLanguages.ts, a chunk of its own): opening a document does not wait for them. Until they
// are in, code blocks show uncoloured; then the editor's code blocks are coloured once.
import type { JSONContent, MarkdownRendererHelpers } from "@tiptap/core";
import { CodeBlockLowlight } from "@tiptap/extension-code-block-lowlight";
import type { EditorState, Transaction } from "@tiptap/pm/state";
import type { DecorationSet } from "@tiptap/pm/view";
import { createLowlight } from "lowlight";

/** lowlight with no grammar yet; loadCodeLanguages() registers them. */
export const lowlight = createLowlight();

/** highlight.js's "common" set (the usual web, systems and scripting languages), sorted: the
 *  language picker's choices, known before their grammars have loaded (codeLanguages.test.ts
 *  keeps this list equal to the set). A fence with another language keeps it, uncoloured. */
export const CODE_LANGUAGES: readonly string[] = [
  "arduino", "bash", "c", "cpp", "csharp", "css", "diff", "go", "graphql", "ini", "java", "javascript", "json",
  "kotlin", "less", "lua", "makefile", "markdown", "objectivec", "perl", "php", "php-template", "plaintext",
  "python", "python-repl", "r", "ruby", "rust", "scss", "shell", "sql", "swift", "typescript", "vbnet", "wasm",
  "xml", "yaml",
];

let languagesLoaded: Promise<void> | null = null;

/** Registers the grammars of CODE_LANGUAGES (once; later calls share the first load). */
export function loadCodeLanguages(): Promise<void> {
  languagesLoaded ??= import("./codeLanguages.ts").then(({ CODE_GRAMMARS }) => lowlight.register(CODE_GRAMMARS));
  return languagesLoaded;
}

/** Transaction meta: recompute the code blocks' colours (their grammars have just loaded). */
const RECOLOUR = "codeBlockRecolour";

/**
 * lowlight as the editor's code blocks use it: a block that names no language is shown
 * uncoloured instead of guessed. Guessing (highlightAuto) runs every grammar of the set over
 * the block, ~10 ms a block, and extension-code-block-lowlight 3.31.3 recolours every code block
 * of the document whenever a transaction touches one: opening a 100 KB document with 65
 * unlabelled blocks spent 400 ms of its 650 ms sync in it (bench/open.ts, Chromium's
 * profiler), and every keystroke in a code block paid it again for all of them.
 */
export const highlighter: typeof lowlight = {
  ...lowlight,
  // The text as it is (what the "plaintext" grammar gives, which may not have loaded yet).
  highlightAuto: (value: string) => ({ type: "root", children: [{ type: "text", value }], data: { language: undefined, relevance: 0 } }),
};

/** The schema's code block (same name as StarterKit's; Markdown as a fence with the language).
 *  The fence is longer than any run of backticks in the code: extension-code-block 3.31.3
 *  always writes three, so code containing ``` ended its own block early on the way back. */
export const codeBlock = CodeBlockLowlight.extend({
  // extension-code-block-lowlight 3.31.3's plugin, with two changes to when it recolours:
  // - also on RECOLOUR, which changes nothing in the document (nor in the Y.Doc);
  // - a transaction that leaves the document alone (a caret move, someone else's caret) only
  //   maps the colours, as the plugin would, without first listing every code block of the
  //   document twice (it walked the whole document on each such transaction).
  addProseMirrorPlugins() {
    const plugins = this.parent?.() ?? [];
    for (const plugin of plugins) {
      const field = plugin.spec.state;
      if (!field || !(plugin as unknown as { key: string }).key.startsWith("lowlight$")) continue;
      plugin.spec.state = {
        ...field,
        apply: (tr: Transaction, value: unknown, oldState: EditorState, newState: EditorState) => {
          if (tr.getMeta(RECOLOUR)) return field.init.call(plugin, {}, newState);
          if (!tr.docChanged) return (value as DecorationSet).map(tr.mapping, tr.doc);
          return field.apply.call(plugin, tr, value, oldState, newState);
        },
      };
    }
    return plugins;
  },
  onCreate() {
    void loadCodeLanguages().then(() => {
      if (!this.editor.isDestroyed) this.editor.view.dispatch(this.editor.state.tr.setMeta(RECOLOUR, true));
    });
  },
  renderMarkdown(node: JSONContent, helpers: MarkdownRendererHelpers) {
    const code = node.content ? helpers.renderChildren(node.content) : "";
    const longestRun = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(Math.max(3, longestRun + 1));
    return `${fence}${node.attrs?.language ?? ""}\n${code}\n${fence}`;
  },
}).configure({ lowlight: highlighter, defaultLanguage: null });
