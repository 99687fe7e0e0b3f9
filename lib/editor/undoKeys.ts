// Undo and redo in the editor are Yjs's (per person, through the Collaboration extension), and
// only Yjs's. Collaboration's own shortcuts return false when its stack is empty, which leaves
// the key to the browser: Chromium then runs its native undo or redo of the contenteditable,
// replaying its record of the DOM — a redo with nothing left to redo deleted the last paragraph
// typed (issue 13, bug 3). Here the keys are always ours, and so are the Edit menu's undo and
// redo (beforeinput historyUndo / historyRedo).
import { Extension } from "@tiptap/core";
import { Plugin, PluginKey } from "@tiptap/pm/state";

export const YjsUndoKeys = Extension.create({
  name: "yjsUndoKeys",
  // Before Collaboration (1000), whose shortcuts would otherwise answer first.
  priority: 1001,

  addKeyboardShortcuts() {
    const undo = () => {
      this.editor.commands.undo();
      return true;
    };
    const redo = () => {
      this.editor.commands.redo();
      return true;
    };
    return { "Mod-z": undo, "Shift-Mod-z": redo, "Mod-y": redo };
  },

  addProseMirrorPlugins() {
    const editor = this.editor;
    return [
      new Plugin({
        key: new PluginKey("yjsUndoKeys"),
        props: {
          handleDOMEvents: {
            beforeinput: (_view, event) => {
              if (event.inputType !== "historyUndo" && event.inputType !== "historyRedo") return false;
              event.preventDefault();
              if (event.inputType === "historyUndo") editor.commands.undo();
              else editor.commands.redo();
              return true;
            },
          },
        },
      }),
    ];
  },
});
