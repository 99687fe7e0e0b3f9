// "/" opens the block menu: @tiptap/suggestion finds the trigger and the query, and hands the
// rendering to the browser (app/d/[id]/SlashMenu.tsx) through `render`.
import { Extension } from "@tiptap/core";
import { PluginKey } from "@tiptap/pm/state";
import Suggestion, { type SuggestionOptions } from "@tiptap/suggestion";
import { matchBlockCommands, runBlockCommand, type BlockCommand } from "./blockCommands.ts";

export const slashCommandKey = new PluginKey("slashCommand");

export interface SlashCommandOptions {
  render: NonNullable<SuggestionOptions<BlockCommand, BlockCommand>["render"]>;
}

/** The slash menu's trigger: "/" at the start of a block's text or after a space (suggestion's
 *  defaults), never inside code, where a slash is just code. */
export const SlashCommand = Extension.create<SlashCommandOptions>({
  name: "slashCommand",

  addOptions() {
    return { render: () => ({}) };
  },

  addProseMirrorPlugins() {
    return [
      Suggestion<BlockCommand, BlockCommand>({
        editor: this.editor,
        pluginKey: slashCommandKey,
        char: "/",
        allow: ({ state, range }) => {
          const $from = state.doc.resolve(range.from);
          return !$from.parent.type.spec.code && $from.parent.type.name !== "codeBlock";
        },
        items: ({ query }) => matchBlockCommands(query),
        command: ({ editor, range, props }) => runBlockCommand(editor, range, props),
        render: this.options.render,
      }),
    ];
  },
});
