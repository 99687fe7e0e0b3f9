// A binary WebSocket message as a server puts it on the wire (RFC 6455 §5.2): FIN and the
// binary opcode, the payload length (a server does not mask), the payload. A broadcast is
// framed once and the same bytes are written to every socket it goes to, where ws would frame
// it again for each (a header buffer, a cork and a two-buffer write per socket).

/** Payloads up to this size are copied behind their header (one buffer, one plain write);
 *  larger ones stay where they are and go out as a second buffer. */
const COPY_LIMIT = 16 * 1024;
const FIN_BINARY = 0x82;

/** One message ready to write: one buffer, or a header and the payload. */
export type WireFrame = readonly Buffer[];

export function wireFrame(payload: Uint8Array): WireFrame {
  const length = payload.byteLength;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const copy = length <= COPY_LIMIT;
  const header = Buffer.allocUnsafe(headerLength + (copy ? length : 0));
  header[0] = FIN_BINARY;
  if (length < 126) {
    header[1] = length;
  } else if (length < 65_536) {
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 127;
    header.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    header.writeUInt32BE(length >>> 0, 6);
  }
  if (copy) {
    header.set(payload, headerLength);
    return [header];
  }
  return [header, Buffer.from(payload.buffer, payload.byteOffset, length)];
}
