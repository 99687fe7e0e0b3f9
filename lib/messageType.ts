// First varuint of every collab frame: the y-websocket protocol's message types.
// Numbers 0-3 are the classic protocol any y-websocket client speaks.

export const MessageType = {
  /** y-protocols/sync: step 1, step 2 or update. */
  SYNC: 0,
  /** y-protocols/awareness update. */
  AWARENESS: 1,
  // 2 is y-websocket's "auth" message; this server never sends it (a refusal is a close code).
  /** A client asks for everyone's awareness state. */
  QUERY_AWARENESS: 3,
} as const;

/** Path prefix of the collab WebSocket endpoint: ws(s)://host/collab/<documentId>. */
export const COLLAB_PATH_PREFIX = "/collab/";
