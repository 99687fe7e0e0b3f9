// "@" in the document: @tiptap/suggestion finds the trigger and the query, the page supplies
// the people (GET /api/documents/<id>/mentions) and draws the menu (app/d/[id]/MentionMenu.tsx);
// choosing one inserts a mention node and tells the page, which asks the server to notify them.
import { Extension } from "@tiptap/core";
import { PluginKey } from "@tiptap/pm/state";
import Suggestion, { type SuggestionOptions } from "@tiptap/suggestion";
import { MENTION_NODE, mentionLabel } from "./mentionNode.ts";

export const mentionSuggestionKey = new PluginKey("mentionSuggestion");

export interface MentionPerson {
  userId: string;
  name: string;
  hasAccess: boolean;
}

export interface MentionSuggestionOptions {
  /** People matching what was typed after "@". */
  people: (query: string) => Promise<MentionPerson[]>;
  /** A mention was inserted; `excerpt`: the text of its block, for the notification. */
  onMention: (person: MentionPerson, excerpt: string) => void;
  render: NonNullable<SuggestionOptions<MentionPerson, MentionPerson>["render"]>;
}

export const MentionSuggestion = Extension.create<MentionSuggestionOptions>({
  name: "mentionSuggestion",

  addOptions() {
    return { people: async () => [], onMention: () => {}, render: () => ({}) };
  },

  addProseMirrorPlugins() {
    const { people, onMention, render } = this.options;
    return [
      Suggestion<MentionPerson, MentionPerson>({
        editor: this.editor,
        pluginKey: mentionSuggestionKey,
        char: "@",
        allow: ({ state, range }) => {
          const $from = state.doc.resolve(range.from);
          return !$from.parent.type.spec.code && $from.parent.type.name !== "codeBlock";
        },
        items: ({ query }) => people(query),
        command: ({ editor, range, props }) => {
          editor
            .chain()
            .focus()
            .insertContentAt(range, [
              { type: MENTION_NODE, attrs: { id: props.userId, label: mentionLabel(props.name) } },
              { type: "text", text: " " },
            ])
            .run();
          const block = editor.state.selection.$from.parent;
          onMention(props, block.textBetween(0, block.content.size, " ", (leaf) => (leaf.type.name === MENTION_NODE ? `@${mentionLabel(leaf.attrs.label)}` : " ")));
        },
        render,
      }),
    ];
  },
});
