// Uploaded images in the database (document_images): stored once, read back by id within their
// document. The bytes stay in PostgreSQL (or PGlite) so every instance serves every image.
//
// Plain SQL (Database.sql), with the bytes crossing as hex text that the database decodes and
// encodes itself: PGlite's own bytea conversion builds one JavaScript string per byte, and a
// 10 MiB image took 12 s to insert and 4-6 s to read, all of it blocking the event loop (Prisma
// over PGlite goes the same way). Hex through decode()/encode() is about 5-10 times faster there
// and no slower on PostgreSQL.
import { createHash } from "node:crypto";
import type { SqlClient } from "../db/SqlClient.ts";
import { newImageId } from "../../lib/images/imageUrl.ts";
import type { ImageType } from "./sniffImageType.ts";

/** An image as served: its bytes and what the response says about them. */
export interface StoredImage {
  id: string;
  contentType: string;
  byteSize: number;
  /** Hex SHA-256 of the bytes (the ETag). */
  sha256: string;
  bytes: Uint8Array<ArrayBuffer>;
}

/** What a new upload records besides its bytes. */
export interface NewImage {
  documentId: string;
  /** The uploading account; null for a share link's guest. */
  uploaderId: string | null;
  type: ImageType;
  bytes: Uint8Array<ArrayBuffer>;
}

/** PostgreSQL's foreign_key_violation: the document was deleted (purged from Trash) meanwhile. */
const FOREIGN_KEY_VIOLATION = "23503";

/** True for a foreign key violation, as `pg` reports it (`code`) or Prisma's raw queries over
 *  PGlite do (`meta.code`, or only in the message). */
function isForeignKeyViolation(error: unknown): boolean {
  const { code, meta, message } = (error ?? {}) as { code?: unknown; meta?: { code?: unknown }; message?: unknown };
  return code === FOREIGN_KEY_VIOLATION || meta?.code === FOREIGN_KEY_VIOLATION || (typeof message === "string" && message.includes(FOREIGN_KEY_VIOLATION));
}

/** Stores an image and returns it with its new id; null when its document no longer exists. */
export async function storeImage(sql: SqlClient, image: NewImage): Promise<StoredImage | null> {
  const bytes = Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength);
  const stored: StoredImage = {
    id: newImageId(),
    contentType: image.type.contentType,
    byteSize: image.bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    bytes: image.bytes,
  };
  try {
    await sql.query(
      `INSERT INTO document_images (id, document_id, uploader_id, content_type, byte_size, sha256, bytes)
       VALUES ($1, $2, $3, $4, $5, $6, decode($7, 'hex'))`,
      [stored.id, image.documentId, image.uploaderId, stored.contentType, stored.byteSize, stored.sha256, bytes.toString("hex")],
    );
  } catch (error) {
    if (isForeignKeyViolation(error)) return null;
    throw error;
  }
  return stored;
}

/** The image `imageId` of document `documentId`; null when that document has no such image
 *  (an image is only ever served under its own document's access check). */
export async function findImage(sql: SqlClient, documentId: string, imageId: string): Promise<StoredImage | null> {
  const [row] = await sql.query<{ id: string; content_type: string; byte_size: number; sha256: string; hex: string }>(
    `SELECT id, content_type, byte_size, sha256, encode(bytes, 'hex') AS hex
     FROM document_images WHERE id = $1 AND document_id = $2`,
    [imageId, documentId],
  );
  if (!row) return null;
  const bytes = Buffer.from(row.hex, "hex");
  return {
    id: row.id,
    contentType: row.content_type,
    byteSize: Number(row.byte_size),
    sha256: row.sha256,
    bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) as Uint8Array<ArrayBuffer>,
  };
}
