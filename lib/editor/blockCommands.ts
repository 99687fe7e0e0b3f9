// The blocks a user can insert from the slash menu: one list, so the menu, its filter and its
// tests agree on names and on what each inserts.
import type { ChainedCommands, Editor, Range } from "@tiptap/core";

export interface BlockCommand {
  id: string;
  /** Shown in the menu and matched by what is typed after "/". */
  label: string;
  /** More words the filter matches ("/todo" finds the task list). */
  keywords: readonly string[];
  apply: (chain: ChainedCommands) => ChainedCommands;
}

export const BLOCK_COMMANDS: readonly BlockCommand[] = [
  { id: "paragraph", label: "Text", keywords: ["paragraph", "plain"], apply: (c) => c.setParagraph() },
  { id: "heading1", label: "Heading 1", keywords: ["h1", "title"], apply: (c) => c.setHeading({ level: 1 }) },
  { id: "heading2", label: "Heading 2", keywords: ["h2", "subtitle"], apply: (c) => c.setHeading({ level: 2 }) },
  { id: "heading3", label: "Heading 3", keywords: ["h3"], apply: (c) => c.setHeading({ level: 3 }) },
  { id: "bulletList", label: "Bulleted list", keywords: ["ul", "bullets", "unordered"], apply: (c) => c.toggleBulletList() },
  { id: "orderedList", label: "Numbered list", keywords: ["ol", "ordered", "numbers"], apply: (c) => c.toggleOrderedList() },
  { id: "taskList", label: "Task list", keywords: ["todo", "checkbox", "tasks"], apply: (c) => c.toggleTaskList() },
  { id: "table", label: "Table", keywords: ["grid"], apply: (c) => c.insertTable({ rows: 3, cols: 3, withHeaderRow: true }) },
  { id: "codeBlock", label: "Code block", keywords: ["code", "pre", "snippet"], apply: (c) => c.setCodeBlock() },
  { id: "blockquote", label: "Quote", keywords: ["blockquote", "citation"], apply: (c) => c.setBlockquote() },
  { id: "horizontalRule", label: "Divider", keywords: ["rule", "hr", "line", "separator"], apply: (c) => c.setHorizontalRule() },
];

/** The commands matching `query` (case-insensitive prefix of the label or of a keyword's word). */
export function matchBlockCommands(query: string): BlockCommand[] {
  const wanted = query.trim().toLowerCase();
  if (!wanted) return [...BLOCK_COMMANDS];
  return BLOCK_COMMANDS.filter((command) =>
    [command.label, ...command.keywords].some((name) => name.toLowerCase().split(/\s+/).some((word) => word.startsWith(wanted)) || name.toLowerCase().startsWith(wanted)),
  );
}

/** Replaces the typed "/query" at `range` with the block `command` inserts. */
export function runBlockCommand(editor: Editor, range: Range, command: BlockCommand): void {
  command.apply(editor.chain().focus().deleteRange(range)).run();
}
