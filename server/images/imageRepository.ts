// Uploaded images in the database (document_images): stored once, read back by id within their
// document. The bytes stay in PostgreSQL (or PGlite) so every instance serves every image.
import { createHash } from "node:crypto";
import type { PrismaClient } from "../db/Database.ts";
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

/** Stores an image and returns its new id. */
export async function storeImage(prisma: PrismaClient, image: NewImage): Promise<StoredImage> {
  const stored: StoredImage = {
    id: newImageId(),
    contentType: image.type.contentType,
    byteSize: image.bytes.length,
    sha256: createHash("sha256").update(image.bytes).digest("hex"),
    bytes: image.bytes,
  };
  await prisma.documentImage.create({
    data: { ...stored, documentId: image.documentId, uploaderId: image.uploaderId },
    select: { id: true },
  });
  return stored;
}

/** The image `imageId` of document `documentId`; null when that document has no such image
 *  (an image is only ever served under its own document's access check). */
export async function findImage(prisma: PrismaClient, documentId: string, imageId: string): Promise<StoredImage | null> {
  return prisma.documentImage.findFirst({
    where: { id: imageId, documentId },
    select: { id: true, contentType: true, byteSize: true, sha256: true, bytes: true },
  });
}
