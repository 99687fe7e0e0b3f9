// The one rule for an error met while handling a connection's input, wherever it surfaces (a
// frame's dispatch, a held awareness update's timer): it costs that socket, never the process
// and the other clients.
import { CloseCode } from "../../lib/closeCodes.ts";
import type { Logger } from "../log.ts";
import { CloseError, ProtocolError } from "./CloseError.ts";
import type { Connection } from "./Connection.ts";

/** Bad input closes with its named code; anything else is our bug, logged and closed with 1011
 *  (its own code, never 4400, so a bug is never mistaken for a client's malformed frame). */
export function closeOnError(connection: Connection, error: unknown, log: Logger): void {
  if (error instanceof CloseError) {
    log.warn("closing connection", { connection: connection.id, code: error.code, reason: error.message });
    connection.close(error.code, error instanceof ProtocolError ? "malformed message" : error.message);
    return;
  }
  log.error("unexpected error handling a client's input", { connection: connection.id, error: String((error as Error)?.stack ?? error) });
  connection.close(CloseCode.INTERNAL_ERROR, "internal error");
}
