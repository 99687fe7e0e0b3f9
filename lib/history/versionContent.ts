// A version's editor JSON as the history API sends it (server/history/versionTasks.ts), made
// ready for the browser: the preview gets its changes labelled with their authors, and a
// restore gets the version alone, without what the comparison marked removed.
import type { JSONContent } from "@tiptap/core";
import { HISTORY_CHANGE_ATTRIBUTE, HISTORY_CHANGE_MARK } from "./historyChange.ts";

export interface ChangeAuthor {
  id: string;
  name: string;
  color: string;
}

/** The version as it reads: removed text and nodes left out, no change marks or attributes. */
export function versionContent(node: JSONContent): JSONContent {
  const { [HISTORY_CHANGE_ATTRIBUTE]: _change, ...attrs } = node.attrs ?? {};
  const clean: JSONContent = { ...node };
  if (node.attrs) clean.attrs = attrs;
  if (node.marks) {
    const marks = node.marks.filter((mark) => mark.type !== HISTORY_CHANGE_MARK);
    if (marks.length > 0) clean.marks = marks;
    else delete clean.marks;
  }
  if (node.content) {
    clean.content = node.content.filter((child) => !isRemoved(child)).map(versionContent);
  }
  return clean;
}

function isRemoved(node: JSONContent): boolean {
  if (node.attrs?.[HISTORY_CHANGE_ATTRIBUTE] === "removed") return true;
  return node.type === "text" && (node.marks ?? []).some((mark) => mark.type === HISTORY_CHANGE_MARK && mark.attrs?.change === "removed");
}

/** The version with each change mark given its author's colour and a label ("Added by Ann"). */
export function labelledChanges(node: JSONContent, authors: readonly ChangeAuthor[]): JSONContent {
  const byId = new Map(authors.map((author) => [author.id, author]));
  const label = (json: JSONContent): JSONContent => {
    const labelled: JSONContent = { ...json };
    if (json.marks) {
      labelled.marks = json.marks.map((mark) => {
        if (mark.type !== HISTORY_CHANGE_MARK) return mark;
        const author = typeof mark.attrs?.author === "string" ? byId.get(mark.attrs.author) : undefined;
        const verb = mark.attrs?.change === "removed" ? "Removed" : "Added";
        return { ...mark, attrs: { ...mark.attrs, color: author?.color ?? null, label: author ? `${verb} by ${author.name}` : verb } };
      });
    }
    if (json.content) labelled.content = json.content.map(label);
    return labelled;
  };
  return label(node);
}

/** Whether the JSON marks any change at all. */
export function hasChanges(node: JSONContent): boolean {
  if (node.attrs?.[HISTORY_CHANGE_ATTRIBUTE]) return true;
  if ((node.marks ?? []).some((mark) => mark.type === HISTORY_CHANGE_MARK)) return true;
  return (node.content ?? []).some(hasChanges);
}
