"use client";
// A version shown read-only in an editor of the document schema, with its changes marked
// (lib/editor/historyChangeMarks.ts). Never bound to the live Y.Doc.
import { useEffect } from "react";
import { EditorContent, useEditor } from "@tiptap/react";
import { getSchema, type JSONContent } from "@tiptap/core";
import { createEditorExtensions } from "@/lib/editor/extensions";
import { historyChangeExtensions } from "@/lib/editor/historyChangeMarks";

function previewExtensions() {
  const schema = createEditorExtensions();
  const nodeTypes = Object.keys(getSchema(schema).nodes).filter((name) => name !== "text" && name !== "doc");
  return [...schema, ...historyChangeExtensions(nodeTypes)];
}

export function VersionPreview({ content, label }: { content: JSONContent; label: string }) {
  const editor = useEditor({
    immediatelyRender: false,
    editable: false,
    extensions: previewExtensions(),
    content,
    // A version may hold what today's schema would refuse; show what can be shown.
    enableContentCheck: false,
    editorProps: { attributes: { "aria-label": label, role: "textbox", "aria-readonly": "true", "aria-multiline": "true" } },
  });
  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.commands.setContent(content, { emitUpdate: false });
  }, [editor, content]);
  return <EditorContent editor={editor} className="history-preview-content" data-testid="history-preview-content" />;
}
