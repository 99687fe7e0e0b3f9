// WebSocket close codes shared by the collab server and the browser client.
// 1xxx are standard (RFC 6455); 4xxx are ours, mirroring HTTP statuses where one fits.

export const CloseCode = {
  /** Normal closure. */
  NORMAL: 1000,
  /** RFC 6455 internal error: handling a frame failed in a way the server did not expect (a
   *  bug, logged), as opposed to a frame it recognised as malformed (4400). */
  INTERNAL_ERROR: 1011,
  /** The server is shutting down or restarting; reconnect (possibly to another instance). */
  SERVER_RESTARTING: 1012,
  /** A frame could not be decoded or has an unknown message type. */
  BAD_MESSAGE: 4400,
  /** No valid credentials. */
  UNAUTHENTICATED: 4401,
  /** Credentials valid but not for this document, or access was revoked; also a stock client
   *  whose role was lowered (ours is told its new role instead: ROLE in protocolExtensions.ts). */
  FORBIDDEN: 4403,
  /** The document does not exist. */
  NOT_FOUND: 4404,
  /** The document was moved to Trash (HTTP 410 Gone): nobody may open it until it is restored. */
  DOCUMENT_TRASHED: 4410,
  /** An update wrote with a Yjs client id that belongs to another person on this document
   *  (server/attribution/RoomAuthors.ts): refused, so authorship cannot be forged. Nothing of
   *  that update was applied; a client should start again with a new Y.Doc (a new client id). */
  CLIENT_ID_TAKEN: 4409,
  /** A frame or the document exceeded a size limit. */
  TOO_LARGE: 4413,
  /** Too many messages or bytes. */
  RATE_LIMITED: 4429,
  /** The document could not be loaded from storage; retry later. Nothing was written. */
  LOAD_FAILED: 4503,
  /** The peer stayed silent too long (no first message, or no answer to pings). */
  TIMEOUT: 4408,
} as const;

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];
