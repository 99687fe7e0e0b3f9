"use client";
// Formatting and history buttons. Undo/redo are the Collaboration extension's commands:
// Yjs's UndoManager, which only reverts this user's own changes.
import { useEditorState, type Editor } from "@tiptap/react";
import { ImageButtons } from "./ImageButtons";

interface ToolbarState {
  bold: boolean;
  italic: boolean;
  h1: boolean;
  h2: boolean;
  bulletList: boolean;
  orderedList: boolean;
  codeBlock: boolean;
  blockquote: boolean;
  canUndo: boolean;
  canRedo: boolean;
}

interface ButtonSpec {
  key: string;
  label: string;
  title: string;
  active?: (s: ToolbarState) => boolean;
  enabled?: (s: ToolbarState) => boolean;
  run: (editor: Editor) => void;
}

const BUTTONS: (ButtonSpec | "separator")[] = [
  { key: "bold", label: "B", title: "Bold (Ctrl+B)", active: (s) => s.bold, run: (e) => e.chain().focus().toggleBold().run() },
  { key: "italic", label: "I", title: "Italic (Ctrl+I)", active: (s) => s.italic, run: (e) => e.chain().focus().toggleItalic().run() },
  "separator",
  { key: "h1", label: "H1", title: "Heading 1", active: (s) => s.h1, run: (e) => e.chain().focus().toggleHeading({ level: 1 }).run() },
  { key: "h2", label: "H2", title: "Heading 2", active: (s) => s.h2, run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run() },
  "separator",
  { key: "bullet-list", label: "• List", title: "Bullet list", active: (s) => s.bulletList, run: (e) => e.chain().focus().toggleBulletList().run() },
  { key: "ordered-list", label: "1. List", title: "Numbered list", active: (s) => s.orderedList, run: (e) => e.chain().focus().toggleOrderedList().run() },
  { key: "code-block", label: "</>", title: "Code block", active: (s) => s.codeBlock, run: (e) => e.chain().focus().toggleCodeBlock().run() },
  { key: "blockquote", label: "❝", title: "Quote", active: (s) => s.blockquote, run: (e) => e.chain().focus().toggleBlockquote().run() },
  "separator",
  { key: "undo", label: "↶ Undo", title: "Undo (Ctrl+Z)", enabled: (s) => s.canUndo, run: (e) => e.chain().focus().undo().run() },
  { key: "redo", label: "↷ Redo", title: "Redo (Ctrl+Shift+Z)", enabled: (s) => s.canRedo, run: (e) => e.chain().focus().redo().run() },
];

export function EditorToolbar({ editor, editable }: { editor: Editor | null; editable: boolean }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }): ToolbarState | null => {
      if (!e) return null;
      return {
        bold: e.isActive("bold"),
        italic: e.isActive("italic"),
        h1: e.isActive("heading", { level: 1 }),
        h2: e.isActive("heading", { level: 2 }),
        bulletList: e.isActive("bulletList"),
        orderedList: e.isActive("orderedList"),
        codeBlock: e.isActive("codeBlock"),
        blockquote: e.isActive("blockquote"),
        canUndo: e.can().undo(),
        canRedo: e.can().redo(),
      };
    },
  });

  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting" data-testid="toolbar">
      {BUTTONS.map((button, index) => {
        if (button === "separator") return <span key={`sep-${index}`} className="toolbar-separator" aria-hidden />;
        const active = state && button.active ? button.active(state) : false;
        const enabled = editor !== null && state !== null && editable && (button.enabled ? button.enabled(state) : true);
        return (
          <button
            key={button.key}
            type="button"
            className={`toolbar-button${active ? " is-active" : ""}`}
            data-testid={`toolbar-${button.key}`}
            title={button.title}
            aria-label={button.title}
            aria-pressed={button.active ? active : undefined}
            disabled={!enabled}
            // Keep the editor's selection: a mousedown on the button would otherwise blur it.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => editor && button.run(editor)}
          >
            {button.label}
          </button>
        );
      })}
      <ImageButtons editor={editor} editable={editable} />
    </div>
  );
}
