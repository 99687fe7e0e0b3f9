// Rewrites an awareness update from one connection before anyone else sees it: every state
// gets the connection's server-known identity as its `user` (name, colour, id), and entries
// for client ids another connection controls are dropped. A client can still say where its
// cursor is, but not who it is, nor speak for someone else's client id.
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { AwarenessIdentity } from "./access.ts";
import { ProtocolError } from "./CloseError.ts";

/**
 * Returns the update to apply: `identity` stamped into each state, entries whose client id
 * `isForeign` dropped. Null when nothing is left. Throws ProtocolError on a malformed update.
 */
export function stampAwareness(
  update: Uint8Array,
  identity: AwarenessIdentity,
  isForeign: (clientId: number) => boolean,
): Uint8Array | null {
  const entries: { clientId: number; clock: number; state: string }[] = [];
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      if (isForeign(clientId)) continue;
      entries.push({ clientId, clock, state: stampState(json, identity) });
    }
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(`bad awareness update: ${(error as Error).message}`);
  }
  if (entries.length === 0) return null;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, state);
  }
  return encoding.toUint8Array(encoder);
}

function stampState(json: string, identity: AwarenessIdentity): string {
  let state: unknown;
  try {
    state = JSON.parse(json);
  } catch {
    throw new ProtocolError("awareness state is not JSON");
  }
  if (state === null) return "null"; // the client leaving: nothing to stamp
  if (typeof state !== "object" || Array.isArray(state)) throw new ProtocolError("awareness state is not an object");
  const previous = (state as { user?: unknown }).user;
  const user = typeof previous === "object" && previous !== null && !Array.isArray(previous) ? previous : {};
  return JSON.stringify({ ...state, user: { ...user, name: identity.name, color: identity.color, id: identity.id } });
}
