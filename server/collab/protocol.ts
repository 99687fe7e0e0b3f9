// The y-websocket wire protocol as pure functions over lib0 encoders/decoders. Nothing here
// touches a socket or a document, so every frame shape can be tested in isolation.

import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { MessageType } from "../../lib/messageType.ts";
import { ProtocolError } from "./CloseError.ts";
import { ExtensionMessageType, readCommentFrame } from "../../lib/protocolExtensions.ts";

/** y-protocols/sync sub-message types. */
const SyncStep = { STEP1: 0, STEP2: 1, UPDATE: 2 } as const;

/** A decoded inbound frame. Updates are left encoded; the room applies them. */
export type InboundMessage =
  | { kind: "sync-step1"; stateVector: Uint8Array }
  | { kind: "sync-step2"; update: Uint8Array }
  | { kind: "sync-update"; update: Uint8Array }
  | { kind: "awareness"; update: Uint8Array }
  | { kind: "query-awareness" }
  /** A comment request (COMMENT in lib/protocolExtensions.ts); its JSON is read by the comments service. */
  | { kind: "comment"; requestId: number; json: string };

export { ProtocolError };

function readBytes(decoder: decoding.Decoder): Uint8Array {
  const length = decoding.readVarUint(decoder);
  // Check before lib0 builds a view, so a crafted length fails as a protocol error.
  if (length > decoder.arr.length - decoder.pos) throw new ProtocolError("length exceeds frame");
  return decoding.readUint8Array(decoder, length);
}

/** Decodes one frame. Throws ProtocolError for anything malformed or unknown. */
export function decodeMessage(frame: Uint8Array): InboundMessage {
  if (frame.length === 0) throw new ProtocolError("empty frame");
  const decoder = decoding.createDecoder(frame);
  let message: InboundMessage;
  try {
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.SYNC: {
        const step = decoding.readVarUint(decoder);
        switch (step) {
          case SyncStep.STEP1:
            message = { kind: "sync-step1", stateVector: readBytes(decoder) };
            break;
          case SyncStep.STEP2:
            message = { kind: "sync-step2", update: readBytes(decoder) };
            break;
          case SyncStep.UPDATE:
            message = { kind: "sync-update", update: readBytes(decoder) };
            break;
          default:
            throw new ProtocolError(`unknown sync step ${step}`);
        }
        break;
      }
      case MessageType.AWARENESS:
        message = { kind: "awareness", update: readBytes(decoder) };
        break;
      case MessageType.QUERY_AWARENESS:
        message = { kind: "query-awareness" };
        break;
      case ExtensionMessageType.COMMENT: {
        const { requestId, json } = readCommentFrame(decoder);
        message = { kind: "comment", requestId, json };
        break;
      }
      default:
        throw new ProtocolError(`unknown message type ${type}`);
    }
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(`undecodable frame: ${(error as Error).message}`);
  }
  return message;
}

function frame(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1: "here is my state vector, send me what I miss". */
export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return frame(MessageType.SYNC, (e) => {
    encoding.writeVarUint(e, SyncStep.STEP1);
    encoding.writeVarUint8Array(e, stateVector);
  });
}

/** Sync step 2: the answer to a step 1, the update the peer misses. */
export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return frame(MessageType.SYNC, (e) => {
    encoding.writeVarUint(e, SyncStep.STEP2);
    encoding.writeVarUint8Array(e, update);
  });
}

/** An incremental document update. */
export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return frame(MessageType.SYNC, (e) => {
    encoding.writeVarUint(e, SyncStep.UPDATE);
    encoding.writeVarUint8Array(e, update);
  });
}

/** An awareness update (y-protocols/awareness encoding). */
export function encodeAwareness(update: Uint8Array): Uint8Array {
  return frame(MessageType.AWARENESS, (e) => encoding.writeVarUint8Array(e, update));
}
