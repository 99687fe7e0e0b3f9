// Client side of the ROLE extension message (lib/protocolExtensions.ts): the role the server
// applies to this socket, told at every join and whenever it changes while the socket is open
// (lowered to viewer, raised to editor). The page starts from the role it was rendered with;
// from the first ROLE on, the server's word is the role. Works with a stock y-websocket
// WebsocketProvider, in the browser and in Node.
//
// A session whose role cannot edit sends no document updates at all: not its reply to the
// server's sync step 1 (which, from a reloaded page, carries the local copy's delete set), nor
// the local copy loading into the document. The server would only drop and log them.
//
// When the role drops below editing, this also tells whether edits of ours were refused: any
// sent after the server applied the new role (more update frames sent on this socket than it
// accepted), or made while no socket was open and about to be sent. The server drops those
// whatever we do; they must be shown as not saved, never as saved.

import type * as decoding from "lib0/decoding";
import * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import { canEdit, type Role } from "../access/roles.ts";
import {
  EXTENSION_SUBPROTOCOL,
  ExtensionMessageType,
  isDocumentUpdateFrame,
  readRoleNotice,
  type RoleNotice,
} from "../protocolExtensions.ts";
import type { DurableSaveTracker } from "./DurableSaveTracker.ts";

export interface RoleChange {
  from: Role;
  to: Role;
  /** Edits of ours the server refused (or will) because they came after the change. */
  refusedEdits: boolean;
  /** The text we inserted that the server does not have, for telling the person what was
   *  not saved (empty when the refused edits only deleted or formatted). */
  refusedText: string;
}

type Listener = (change: RoleChange) => void;

export class LiveRole {
  private current: Role;
  private readonly listeners = new Set<Listener>();

  /** Call before the provider connects and after the DurableSaveTracker (whose counts it reads,
   *  and whose count of sent frames must not include the frames held back here). */
  constructor(
    private readonly provider: WebsocketProvider,
    private readonly saveTracker: DurableSaveTracker,
    initialRole: Role,
  ) {
    this.current = initialRole;
    if (!provider.protocols.includes(EXTENSION_SUBPROTOCOL)) provider.protocols.push(EXTENSION_SUBPROTOCOL);
    provider.messageHandlers[ExtensionMessageType.ROLE] = (_encoder, decoder: decoding.Decoder) => {
      this.receive(readRoleNotice(decoder));
    };
    provider.on("status", this.onStatus);
    if (provider.ws) this.holdBackUpdatesWhileReadOnly(provider.ws);
  }

  get role(): Role {
    return this.current;
  }

  /** Calls `listener` on every change of role; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  destroy(): void {
    this.provider.off("status", this.onStatus);
    this.listeners.clear();
  }

  private readonly onStatus = ({ status }: { status: string }): void => {
    if (status === "connecting" && this.provider.ws) this.holdBackUpdatesWhileReadOnly(this.provider.ws);
  };

  /** Wraps a fresh socket's send: document update frames are not sent while the role is read-only. */
  private holdBackUpdatesWhileReadOnly(ws: WebSocket): void {
    const marked = ws as WebSocket & { __readOnlyFiltered?: boolean };
    if (marked.__readOnlyFiltered) return;
    marked.__readOnlyFiltered = true;
    const send = ws.send.bind(ws);
    ws.send = (data: Parameters<WebSocket["send"]>[0]) => {
      if (!canEdit(this.current)) {
        const bytes = data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : null;
        if (bytes && isDocumentUpdateFrame(bytes)) return;
      }
      send(data);
    };
  }

  private receive(notice: RoleNotice): void {
    const from = this.current;
    if (notice.role === from) return;
    this.current = notice.role;
    const refusedEdits = canEdit(from) && !canEdit(notice.role) && this.hasRefusedEdits(notice);
    const change: RoleChange = {
      from,
      to: notice.role,
      refusedEdits,
      refusedText: refusedEdits ? insertedTextBeyond(this.provider.doc, notice.stateVector) : "",
    };
    for (const listener of this.listeners) listener(change);
  }

  private hasRefusedEdits(notice: RoleNotice): boolean {
    if (!this.saveTracker.hasUnsavedChanges) return false;
    const { sentUpdates, unsentChanges } = this.saveTracker.snapshot;
    return sentUpdates > notice.acceptedUpdates || unsentChanges;
  }
}

/** The text this client inserted into `doc` that a replica at `stateVector` lacks, still visible. */
export function insertedTextBeyond(doc: Y.Doc, stateVector: Uint8Array): string {
  const known = Y.decodeStateVector(stateVector).get(doc.clientID) ?? 0;
  const structs = doc.store.clients.get(doc.clientID) ?? [];
  let text = "";
  for (const struct of structs) {
    if (!(struct instanceof Y.Item) || struct.deleted || struct.id.clock + struct.length <= known) continue;
    if (struct.content instanceof Y.ContentString) {
      // Only the part beyond what the replica has (an item can straddle the boundary).
      text += struct.content.str.slice(Math.max(0, known - struct.id.clock));
    } else if (struct.content instanceof Y.ContentType && text !== "" && !text.endsWith(" ")) {
      text += " "; // a new block: keep words of separate paragraphs apart
    }
  }
  return text;
}
