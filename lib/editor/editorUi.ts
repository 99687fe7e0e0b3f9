// Editor-only extensions of the browser: they add no node, mark or attribute to documents, so
// the server's schema (createEditorExtensions without a binding) does without them.
import { Extension, type Extensions } from "@tiptap/core";
import { CharacterCount, Placeholder } from "@tiptap/extensions";
import { SlashCommand, type SlashCommandOptions } from "./slashCommand.ts";
import { KeepNodeViews } from "./keepNodeViews.ts";

export const EMPTY_DOCUMENT_PLACEHOLDER = "Start writing, or type / for headings, lists, tables and more…";

export interface EditorUiOptions {
  /** Ctrl+K (Cmd+K): open the link dialog. */
  onLinkShortcut: () => void;
  /** Alt+F10: move the keyboard to the toolbar (WAI-ARIA toolbar pattern). */
  onToolbarShortcut: () => void;
  slashMenu: SlashCommandOptions["render"];
}

export function createEditorUiExtensions({ onLinkShortcut, onToolbarShortcut, slashMenu }: EditorUiOptions): Extensions {
  return [
    // Shown on an empty document only (styled through .is-editor-empty in app/globals.css).
    Placeholder.configure({ placeholder: EMPTY_DOCUMENT_PLACEHOLDER }),
    CharacterCount,
    KeepNodeViews,
    SlashCommand.configure({ render: slashMenu }),
    Extension.create({
      name: "linkShortcut",
      addKeyboardShortcuts: () => ({
        "Mod-k": () => {
          onLinkShortcut();
          return true;
        },
        "Alt-F10": () => {
          onToolbarShortcut();
          return true;
        },
      }),
    }),
  ];
}
