// An error that ends one connection with a named close code (lib/closeCodes.ts). Thrown
// while handling a frame; createCollabServer's single dispatch point closes the socket.

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
