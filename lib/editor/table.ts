// Tables of the schema: Tiptap's table nodes, with fixes to their GFM Markdown reading and writing.
import type { JSONContent, MarkdownRendererHelpers } from "@tiptap/core";
import { Table, TableCell, TableHeader, TableRow } from "@tiptap/extension-table";

/** A `|` not already escaped by a backslash: in a GFM table row it ends the cell. */
const BARE_PIPE = /(?<!\\)((?:\\\\)*)\|/g;

/**
 * The table node. Its Markdown renderer (extension-table 3.31.3) writes a cell's "a | b" as is,
 * which splits the cell in two on the way back, and gives a table without a header row an
 * empty one, which comes back as an extra row, and adds blank lines around the table. Here pipes in cells are escaped (marked's cell
 * splitter unescapes them, in code spans too), and a table without a header row is written
 * with its first row as the header (GFM has no table without one): its text all comes back.
 */
const MarkdownSafeTable = Table.extend({
  markdownTokenizer: {
    ...Table.config.markdownTokenizer!,
    // The original splits all the rest of the text into lines at every block marked asks it
    // about (quadratic: a 1 MB text took minutes); a table is decided by its first two lines.
    start: (src: string) => (startsTable(src) ? 0 : -1),
  },
  renderMarkdown(node: JSONContent, helpers: MarkdownRendererHelpers, context) {
    const render = Table.config.renderMarkdown!;
    const escaping: MarkdownRendererHelpers = {
      ...helpers,
      renderChildren: (nodes, separator) => helpers.renderChildren(nodes, separator).replace(BARE_PIPE, "$1\\|"),
    };
    // Without the blank lines it puts around the table: blocks are already separated by one,
    // and the extra one came back as an empty paragraph after the table.
    return render.call(this, withHeaderRow(node), escaping, context).replace(/^\n+|\n+$/g, "");
  },
});

/** A GFM delimiter row: dashes, colons, pipes and spaces, with at least one pipe. */
const DELIMITER_ROW = /^[ \t|:]*-[ \t|:-]*$/;

/** True when `src` opens with a table header line and a delimiter row (what extension-table's
 *  own start() checks, reading two lines instead of all of them). */
function startsTable(src: string): boolean {
  const firstEnd = src.indexOf("\n");
  if (firstEnd < 0 || !src.slice(0, firstEnd).includes("|")) return false;
  const secondEnd = src.indexOf("\n", firstEnd + 1);
  const delimiter = src.slice(firstEnd + 1, secondEnd < 0 ? undefined : secondEnd);
  return DELIMITER_ROW.test(delimiter) && delimiter.includes("|");
}

/** `table` with its first row's cells as header cells. */
function withHeaderRow(table: JSONContent): JSONContent {
  const [first, ...rest] = table.content ?? [];
  if (!first) return table;
  const header = { ...first, content: first.content?.map((cell) => ({ ...cell, type: "tableHeader" })) };
  return { ...table, content: [header, ...rest] };
}

/** The table nodes, in the order TableKit registers them. Column resizing is off: it would
 *  write pixel widths into the shared document, and tables size themselves. */
export const tableExtensions = [MarkdownSafeTable.configure({ resizable: false }), TableCell, TableHeader, TableRow];
