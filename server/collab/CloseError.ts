// An error that ends one connection with a named close code (lib/closeCodes.ts). Thrown
// while handling a frame; closeOnError.ts closes the socket with it (SocketSession's dispatch).

import { CloseCode } from "../../lib/closeCodes.ts";

export class CloseError extends Error {
  override name = "CloseError";
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A frame that does not follow the protocol. */
export class ProtocolError extends CloseError {
  override name = "ProtocolError";
  constructor(message: string) {
    super(CloseCode.BAD_MESSAGE, message);
  }
}
