// What an uploaded file is, decided by its first bytes and never by its name or the client's
// Content-Type: a PNG named photo.jpg is stored and served as a PNG, and nothing that is not
// one of the four raster formats every browser draws is accepted.

/** An accepted image format: the Content-Type it is served with and its file extension. */
export interface ImageType {
  contentType: "image/png" | "image/jpeg" | "image/gif" | "image/webp";
  extension: "png" | "jpg" | "gif" | "webp";
}

/** Why a file is not accepted: SVG is named, since people will try it. */
export type RefusedImage = { refused: "svg" } | { refused: "unknown" };

const PNG: ImageType = { contentType: "image/png", extension: "png" };
const JPEG: ImageType = { contentType: "image/jpeg", extension: "jpg" };
const GIF: ImageType = { contentType: "image/gif", extension: "gif" };
const WEBP: ImageType = { contentType: "image/webp", extension: "webp" };

/** The accepted formats. */
export const IMAGE_TYPES: readonly ImageType[] = [PNG, JPEG, GIF, WEBP];

/** The accepted format served as `contentType` (as stored), or null. */
export function imageTypeOf(contentType: string): ImageType | null {
  return IMAGE_TYPES.find((type) => type.contentType === contentType) ?? null;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

/** How much of the start of a file is searched for an <svg> element (after a prolog,
 *  comments or a doctype). */
const SVG_SNIFF_BYTES = 4096;

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  return bytes.length >= at + signature.length && signature.every((byte, index) => bytes[at + index] === byte);
}

function ascii(text: string): number[] {
  return [...text].map((char) => char.charCodeAt(0));
}

/** True when the start of `bytes` reads as SVG (XML text holding an <svg element). Only used
 *  to explain a refusal: what is not one of the raster formats is refused either way. */
function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder("utf-8").decode(bytes.subarray(0, SVG_SNIFF_BYTES)).replace(/^\uFEFF/, "").trimStart();
  return head.startsWith("<") && /<svg[\s>/]/i.test(head);
}

/** The format of `bytes` by its signature, or why it is refused. */
export function sniffImageType(bytes: Uint8Array): ImageType | RefusedImage {
  if (startsWith(bytes, PNG_SIGNATURE)) return PNG;
  if (startsWith(bytes, JPEG_SIGNATURE)) return JPEG;
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return GIF;
  // RIFF, the chunk size (4 bytes), then the form type.
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return WEBP;
  return looksLikeSvg(bytes) ? { refused: "svg" } : { refused: "unknown" };
}
