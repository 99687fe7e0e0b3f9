// The documents row's projection of a Y.Doc (title, content_text, projected_at,
// last_editor_id): what to write, read off a document, and the plain SQL that writes it.
// Plain SQL (server/db/SqlClient.ts) like the update log: a projection is not an edit of the
// row's metadata, so it must not bump updated_at as the ORM's @updatedAt would.
import type * as Y from "yjs";
import type { SqlClient } from "../db/SqlClient.ts";
import { displayDocumentTitle } from "../../lib/documents/documentTitle.ts";
import { documentTitleText, hasTitleText } from "../../lib/editor/documentTitleText.ts";
import { EDITOR_FRAGMENT_NAME } from "../../lib/editor/extensions.ts";
import { plainTextOf } from "../../lib/editor/plainText.ts";

/** What a document's row gets from its Y.Doc. */
export interface Projection {
  /** The normalised live title; null when the Y.Doc has never had a title text (a document from
   *  before titles lived there, not yet seeded): the row's own title is then kept. */
  title: string | null;
  contentText: string;
}

/** The row fields the projection decides from. */
export interface ProjectionRow {
  id: string;
  title: string;
  projectedAt: Date | null;
}

/** C0 controls except tab and line feed, and lone surrogates: PostgreSQL refuses NUL in text,
 *  and a lone surrogate is not valid UTF-8. Any client can put either into the document. */
const UNSTORABLE = /[\u0000-\u0008\u000b-\u001f\ud800-\udfff]/gu;

/** The projection of `doc` (reads it, never changes it). */
export function projectionOf(doc: Y.Doc): Projection {
  return {
    title: hasTitleText(doc) ? displayDocumentTitle(documentTitleText(doc).toString()) : null,
    contentText: plainTextOf(doc.getXmlFragment(EDITOR_FRAGMENT_NAME)).replace(UNSTORABLE, ""),
  };
}

export class DocumentProjectionStore {
  constructor(private readonly sql: SqlClient) {}

  /** The row of `documentId`, or null when there is none (a room opened by a tool, or deleted). */
  async row(documentId: string): Promise<ProjectionRow | null> {
    const [row] = await this.sql.query<{ id: string; title: string; projected_at: Date | null }>(
      "SELECT id, title, projected_at FROM documents WHERE id = $1",
      [documentId],
    );
    return row ? { id: row.id, title: row.title, projectedAt: row.projected_at } : null;
  }

  /** Up to `limit` never-projected rows after `afterId`, in id order (the start-up backfill). */
  async unprojected(afterId: string, limit: number): Promise<ProjectionRow[]> {
    const rows = await this.sql.query<{ id: string; title: string }>(
      "SELECT id, title FROM documents WHERE projected_at IS NULL AND id > $1 ORDER BY id LIMIT $2",
      [afterId, limit],
    );
    return rows.map((row) => ({ id: row.id, title: row.title, projectedAt: null }));
  }

  /**
   * Writes a projection. Idempotent (instances holding the same document write the same
   * thing). `lastEditorId` is set only when given and still an account (guests and remote
   * edits leave it as it is); `onlyIfUnprojected` (the backfill) never overwrites a projection
   * made meanwhile from a live document. Resolves to whether a row was written.
   */
  async write(
    documentId: string,
    projection: Projection,
    { lastEditorId = null, onlyIfUnprojected = false }: { lastEditorId?: string | null; onlyIfUnprojected?: boolean } = {},
  ): Promise<boolean> {
    const rows = await this.sql.query<{ id: string }>(
      `UPDATE documents
          SET title = COALESCE($2, title),
              content_text = $3,
              projected_at = now(),
              last_editor_id = COALESCE((SELECT id FROM users WHERE id = $4), last_editor_id)
        WHERE id = $1${onlyIfUnprojected ? " AND projected_at IS NULL" : ""}
        RETURNING id`,
      [documentId, projection.title, projection.contentText, lastEditorId],
    );
    return rows.length > 0;
  }
}
