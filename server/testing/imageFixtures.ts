// Real image files for tests, made in memory: a PNG any browser decodes, and the smallest
// files with each accepted signature (JPEG, GIF, WebP) or a refused one (SVG).
import { crc32, deflateSync } from "node:zlib";

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid PNG of `width`×`height` pixels in one colour (8-bit RGB). */
export function solidPng(width: number, height: number, [r, g, b]: [number, number, number] = [200, 40, 40]): Uint8Array<ArrayBuffer> {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, default compression/filter/interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  const file = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", pixels),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
  return new Uint8Array(file);
}

/** Bytes starting with `signature` and padded to `size`: enough for sniffing, not for drawing. */
function withSignature(signature: number[] | string, size = 64): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  bytes.set(typeof signature === "string" ? Buffer.from(signature, "latin1") : signature);
  return bytes;
}

export const JPEG_BYTES = withSignature([0xff, 0xd8, 0xff, 0xe0]);
export const GIF_BYTES = withSignature("GIF89a");
export const WEBP_BYTES = withSignature("RIFF\x38\x00\x00\x00WEBPVP8 ");

/** An SVG that would run a script if it were ever served as SVG. */
export const SVG_WITH_SCRIPT = new Uint8Array(
  Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>'),
);
