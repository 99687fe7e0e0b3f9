"use client";
// Formatting, block, insert and history buttons, and the table's own buttons while the caret is
// in a table. Each button's visible text is its accessible name (the title adds the shortcut).
// Undo/redo are the Collaboration extension's commands: Yjs's UndoManager, which only reverts
// this user's own changes. One Tab stop with arrow keys inside (useRovingToolbar); Alt+F10 in
// the text comes here, Escape goes back to the text.
import { useCallback, useRef, type RefObject } from "react";
import { useEditorState, type Editor } from "@tiptap/react";
import { CODE_LANGUAGES } from "@/lib/editor/codeBlock";
import { ImageButtons } from "./ImageButtons";
import { useRovingToolbar } from "./useRovingToolbar";

interface ToolbarState {
  active: Record<string, boolean>;
  canUndo: boolean;
  canRedo: boolean;
  inTable: boolean;
  inCodeBlock: boolean;
  codeLanguage: string;
  canTable: Record<TableAction, boolean>;
}

type TableAction = "addRowAfter" | "deleteRow" | "addColumnAfter" | "deleteColumn" | "toggleHeaderRow" | "deleteTable";

interface ButtonSpec {
  key: string;
  label: string;
  /** Tooltip: what it does and its shortcut. */
  title: string;
  /** isActive() arguments: the button is a toggle showing this state. */
  active?: [name: string, attributes?: Record<string, unknown>];
  enabled?: (s: ToolbarState) => boolean;
  run: (editor: Editor) => void;
}

type Group = { label: string; buttons: ButtonSpec[] };

const heading = (level: 1 | 2 | 3): ButtonSpec => ({
  key: `h${level}`,
  label: `H${level}`,
  title: `Heading ${level} (Ctrl+Alt+${level})`,
  active: ["heading", { level }],
  run: (e) => e.chain().focus().toggleHeading({ level }).run(),
});

/** The buttons, in groups separated on screen. `link` is filled in by the component (it opens the dialog). */
function groups(openLink: () => void): Group[] {
  return [
    {
      label: "Text",
      buttons: [
        { key: "bold", label: "Bold", title: "Bold (Ctrl+B)", active: ["bold"], run: (e) => e.chain().focus().toggleBold().run() },
        { key: "italic", label: "Italic", title: "Italic (Ctrl+I)", active: ["italic"], run: (e) => e.chain().focus().toggleItalic().run() },
        { key: "strike", label: "Strike", title: "Strikethrough (Ctrl+Shift+S)", active: ["strike"], run: (e) => e.chain().focus().toggleStrike().run() },
        { key: "code", label: "Code", title: "Inline code (Ctrl+E)", active: ["code"], run: (e) => e.chain().focus().toggleCode().run() },
        { key: "highlight", label: "Highlight", title: "Highlight (Ctrl+Shift+H)", active: ["highlight"], run: (e) => e.chain().focus().toggleHighlight().run() },
        { key: "link", label: "Link", title: "Add or edit a link (Ctrl+K)", active: ["link"], run: () => openLink() },
      ],
    },
    { label: "Headings", buttons: [heading(1), heading(2), heading(3)] },
    {
      label: "Lists",
      buttons: [
        { key: "bullet-list", label: "Bullets", title: "Bulleted list (Ctrl+Shift+8)", active: ["bulletList"], run: (e) => e.chain().focus().toggleBulletList().run() },
        { key: "ordered-list", label: "Numbers", title: "Numbered list (Ctrl+Shift+7)", active: ["orderedList"], run: (e) => e.chain().focus().toggleOrderedList().run() },
        { key: "task-list", label: "Tasks", title: "Task list (Ctrl+Shift+9)", active: ["taskList"], run: (e) => e.chain().focus().toggleTaskList().run() },
      ],
    },
    {
      label: "Blocks",
      buttons: [
        { key: "blockquote", label: "Quote", title: "Quote (Ctrl+Shift+B)", active: ["blockquote"], run: (e) => e.chain().focus().toggleBlockquote().run() },
        { key: "code-block", label: "Code block", title: "Code block (Ctrl+Alt+C)", active: ["codeBlock"], run: (e) => e.chain().focus().toggleCodeBlock().run() },
        { key: "horizontal-rule", label: "Divider", title: "Horizontal rule", run: (e) => e.chain().focus().setHorizontalRule().run() },
        {
          key: "table",
          label: "Table",
          title: "Insert a 3×3 table with a header row",
          enabled: (s) => !s.inTable,
          run: (e) => e.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
        },
      ],
    },
    {
      label: "History",
      buttons: [
        { key: "undo", label: "Undo", title: "Undo your last change (Ctrl+Z)", enabled: (s) => s.canUndo, run: (e) => e.chain().focus().undo().run() },
        { key: "redo", label: "Redo", title: "Redo (Ctrl+Shift+Z)", enabled: (s) => s.canRedo, run: (e) => e.chain().focus().redo().run() },
      ],
    },
  ];
}

const tableButton = (key: TableAction, label: string, title: string): ButtonSpec => ({
  key,
  label,
  title,
  enabled: (s) => s.canTable[key],
  run: (e) => e.chain().focus()[key]().run(),
});

/** Shown while the caret is in a table. */
const TABLE_GROUP: Group = {
  label: "Table",
  buttons: [
    tableButton("addRowAfter", "Add row", "Add a row below"),
    tableButton("deleteRow", "Delete row", "Delete this row"),
    tableButton("addColumnAfter", "Add column", "Add a column to the right"),
    tableButton("deleteColumn", "Delete column", "Delete this column"),
    tableButton("toggleHeaderRow", "Header row", "Make the first row a header row, or a normal row"),
    tableButton("deleteTable", "Delete table", "Delete the whole table"),
  ],
};

const ACTIVE_CHECKS = groups(() => {})
  .flatMap((group) => group.buttons)
  .concat(TABLE_GROUP.buttons)
  .filter((button) => button.active);

interface Props {
  /** The toolbar element (the editor's Alt+F10 focuses it through this). */
  ref?: RefObject<HTMLDivElement | null>;
  editor: Editor | null;
  editable: boolean;
  /** Opens the link dialog (Ctrl+K does the same). */
  onLink?: () => void;
}

export function EditorToolbar({ ref, editor, editable, onLink }: Props) {
  const ownRef = useRef<HTMLDivElement>(null);
  const toolbarRef = ref ?? ownRef;
  // Escape: back to the text, with the selection it had (the editor keeps it while blurred).
  // ProseMirror's own focus, at once: Tiptap's focus command focuses in an animation frame and
  // then puts its stored selection back, over a selection the person made meanwhile (Escape
  // then Shift+Arrow lost a character).
  const backToText = useCallback(() => {
    if (editor && !editor.isDestroyed) editor.view.focus();
  }, [editor]);
  useRovingToolbar(toolbarRef, backToText);
  const state = useEditorState({
    editor,
    selector: ({ editor: e }): ToolbarState | null => {
      if (!e) return null;
      const can = e.can();
      return {
        active: Object.fromEntries(ACTIVE_CHECKS.map((button) => [button.key, e.isActive(...button.active!)])),
        canUndo: can.undo(),
        canRedo: can.redo(),
        inTable: e.isActive("table"),
        inCodeBlock: e.isActive("codeBlock"),
        codeLanguage: e.isActive("codeBlock") ? String(e.getAttributes("codeBlock").language ?? "") : "",
        canTable: {
          addRowAfter: can.addRowAfter(),
          deleteRow: can.deleteRow(),
          addColumnAfter: can.addColumnAfter(),
          deleteColumn: can.deleteColumn(),
          toggleHeaderRow: can.toggleHeaderRow(),
          deleteTable: can.deleteTable(),
        },
      };
    },
  });

  const shown = groups(() => onLink?.());
  const renderButton = (button: ButtonSpec) => {
    const active = state && button.active ? state.active[button.key] === true : false;
    const enabled = editor !== null && state !== null && editable && (button.enabled ? button.enabled(state) : true);
    return (
      <button
        key={button.key}
        type="button"
        className={`toolbar-button${active ? " is-active" : ""}`}
        data-testid={`toolbar-${button.key}`}
        title={button.title}
        aria-pressed={button.active ? active : undefined}
        disabled={!enabled}
        // Keep the editor's selection: a mousedown on the button would otherwise blur it.
        onMouseDown={(event) => event.preventDefault()}
        onClick={() => editor && button.run(editor)}
      >
        {button.label}
      </button>
    );
  };

  return (
    <div ref={toolbarRef} className="toolbar" role="toolbar" aria-label="Formatting" data-testid="toolbar">
      {shown.map((group, index) => (
        <div key={group.label} className="toolbar-group" role="group" aria-label={group.label}>
          {index > 0 && <span className="toolbar-separator" aria-hidden />}
          {group.buttons.map(renderButton)}
        </div>
      ))}
      <ImageButtons editor={editor} editable={editable} />
      {state?.inTable && editable && (
        <div className="toolbar-group toolbar-context" role="group" aria-label={TABLE_GROUP.label} data-testid="toolbar-table-group">
          <span className="toolbar-separator" aria-hidden />
          {TABLE_GROUP.buttons.map(renderButton)}
        </div>
      )}
      {state?.inCodeBlock && editable && editor && (
        <div className="toolbar-group toolbar-context" role="group" aria-label="Code block">
          <span className="toolbar-separator" aria-hidden />
          <label className="toolbar-select">
            Language
            <select
              value={state.codeLanguage}
              data-testid="toolbar-code-language"
              onChange={(event) => editor.chain().focus().updateAttributes("codeBlock", { language: event.target.value || null }).run()}
            >
              <option value="">Plain text</option>
              {CODE_LANGUAGES.map((language) => (
                <option key={language} value={language}>
                  {language}
                </option>
              ))}
              {state.codeLanguage && !CODE_LANGUAGES.includes(state.codeLanguage) && <option value={state.codeLanguage}>{state.codeLanguage}</option>}
            </select>
          </label>
        </div>
      )}
    </div>
  );
}
