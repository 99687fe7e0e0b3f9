// Our extensions to the y-websocket protocol. They are negotiated, never imposed: only a
// client that offers EXTENSION_SUBPROTOCOL in Sec-WebSocket-Protocol receives these frames,
// so a stock y-websocket client never sees a message type it cannot parse.

import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { isRole, type Role } from "./access/roles.ts";

/** Subprotocol our own client offers to get the extension messages. */
export const EXTENSION_SUBPROTOCOL = "collab-ext.v1";

export const ExtensionMessageType = {
  /**
   * Durable-save acknowledgement, sent after each commit of the document's update log:
   * varUint8Array persisted state vector, then varUint count of this connection's document
   * updates (sync step 2 and update frames, counted since the socket opened) that are now
   * durable. The count lets a client know its deletions are saved too, which a state vector
   * alone cannot show.
   */
  PERSISTED: 100,
  /**
   * The connection's role on the document: varString role, varUint count of this connection's
   * document updates the server accepted before this role applied (counted like PERSISTED's),
   * then varUint8Array the document's state vector at that moment. Sent when the socket joins
   * and whenever the role changes while it is open (a member lowered to viewer, raised back to
   * editor, a link's role changed): the socket stays open and the server applies the new role
   * to every frame after it. A client that sent more updates than were accepted typed them
   * before it learned it could no longer edit: they were refused, and it must say so (and drop
   * them) rather than believe them saved. The state vector tells it which of its inserts the
   * server has.
   */
  ROLE: 101,
  /**
   * Comments (README "Comments"), both ways: varUint request id, then varString JSON.
   * Client to server, a request (lib/comments/commentModel.ts CommentRequest) with a non-zero id
   * of the client's choosing. Server to client, with that id, the answer to that socket alone:
   * `{ok: true, thread}` or `{ok: false, error: {code, message}}` (nothing was stored); with id
   * 0, an event for every socket on the document: `{threads: ThreadJson[], complete?: true}`,
   * the threads as they are now (`complete`: the whole list, sent at each join). A bad request
   * is answered, never closed: the socket and everyone else's stay open.
   */
  COMMENT: 102,
} as const;

export interface PersistedAck {
  stateVector: Uint8Array;
  durableUpdates: number;
}

export function encodePersistedAck(ack: PersistedAck): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, ExtensionMessageType.PERSISTED);
  encoding.writeVarUint8Array(encoder, ack.stateVector);
  encoding.writeVarUint(encoder, ack.durableUpdates);
  return encoding.toUint8Array(encoder);
}

/** Reads the body of a PERSISTED frame (the message type already consumed). */
export function readPersistedAck(decoder: decoding.Decoder): PersistedAck {
  const stateVector = decoding.readVarUint8Array(decoder);
  const durableUpdates = decoding.readVarUint(decoder);
  return { stateVector, durableUpdates };
}

export interface RoleNotice {
  role: Role;
  acceptedUpdates: number;
  stateVector: Uint8Array;
}

export function encodeRoleNotice(notice: RoleNotice): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, ExtensionMessageType.ROLE);
  encoding.writeVarString(encoder, notice.role);
  encoding.writeVarUint(encoder, notice.acceptedUpdates);
  encoding.writeVarUint8Array(encoder, notice.stateVector);
  return encoding.toUint8Array(encoder);
}

/** Reads the body of a ROLE frame (the message type already consumed); throws on an unknown role. */
export function readRoleNotice(decoder: decoding.Decoder): RoleNotice {
  const role = decoding.readVarString(decoder);
  if (!isRole(role)) throw new Error(`unknown role ${JSON.stringify(role)}`);
  const acceptedUpdates = decoding.readVarUint(decoder);
  const stateVector = decoding.readVarUint8Array(decoder);
  return { role, acceptedUpdates, stateVector };
}

/** True when `frame` is a client document update (sync step 2 or update) — what acks count. */
export function isDocumentUpdateFrame(frame: Uint8Array): boolean {
  return frame.length > 1 && frame[0] === 0 && (frame[1] === 1 || frame[1] === 2);
}

/** A COMMENT frame: request id (0 for events) and its JSON text. */
export interface CommentFrame {
  requestId: number;
  json: string;
}

export function encodeCommentFrame(frame: CommentFrame): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, ExtensionMessageType.COMMENT);
  encoding.writeVarUint(encoder, frame.requestId);
  encoding.writeVarString(encoder, frame.json);
  return encoding.toUint8Array(encoder);
}

/** Reads the body of a COMMENT frame (the message type already consumed). */
export function readCommentFrame(decoder: decoding.Decoder): CommentFrame {
  const requestId = decoding.readVarUint(decoder);
  const json = decoding.readVarString(decoder);
  return { requestId, json };
}
