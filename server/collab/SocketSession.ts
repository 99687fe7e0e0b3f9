// One admitted socket from its upgrade to its close: the first-message timer, the frames that
// arrive while its document loads (kept and replayed in order, or answered from the stored
// state), the dispatch of each frame to the room, and giving the room back at the end.
import type { RawData } from "ws";
import { metrics } from "../metrics/metrics.ts";
import { CloseCode } from "../../lib/closeCodes.ts";
import type { Logger } from "../log.ts";
import type { Connection } from "./Connection.ts";
import type { CollabLimits } from "./limits.ts";
import { decodeMessage } from "./protocol.ts";
import { closeOnError } from "./closeOnError.ts";
import type { Room } from "./Room.ts";
import { RoomsClosedError, type Rooms } from "./Rooms.ts";

/** Frames accepted before a document has finished loading; beyond this the client is misbehaving. */
export const MAX_FRAMES_BEFORE_LOAD = 1_000;

export class SocketSession {
  private room: Room | null = null;
  /** Frames that arrived while the document loads, replayed in order once it is there. */
  private readonly early: RawData[] = [];
  private firstMessageTimer: NodeJS.Timeout | null;
  /** The document's stored state, when the load read one while this socket waited. */
  private storedStateFrame: Uint8Array | null = null;
  /** This socket was answered from the stored state before the room was built. */
  private servedStoredState = false;
  private readonly log: Logger;

  constructor(
    private readonly connection: Connection,
    private readonly rooms: Rooms,
    limits: CollabLimits,
    log: Logger,
    /** Gives back the socket's hold on its document (Admission.hold). */
    private readonly releaseHold: () => void,
    /** Told once the socket has closed. */
    private readonly onClosed: () => void,
  ) {
    this.log = log.child({ connection: connection.id, documentId: connection.documentId });
    // A y-websocket client sends sync step 1 as soon as it opens; silence means a dead or
    // hostile peer holding a slot.
    this.firstMessageTimer = setTimeout(() => connection.close(CloseCode.TIMEOUT, "no message"), limits.firstMessageTimeoutMs);
    const { socket } = connection;
    socket.on("message", (data: RawData, isBinary: boolean) => this.handleFrame(data, isBinary, false));
    socket.on("error", (error) => this.log.warn("socket error", { error: error.message }));
    socket.on("close", () => this.closed());
    rooms.acquire(connection.documentId, { onStoredState: (frame) => this.storedStateRead(frame) }).then(
      (room) => this.roomReady(room),
      (error) => {
        this.releaseHold();
        if (error instanceof RoomsClosedError) {
          connection.close(CloseCode.SERVER_RESTARTING, "server restarting");
          return;
        }
        // Never serve (and so never write) a document whose load failed.
        log.error("document load failed", { documentId: connection.documentId, error: String(error) });
        connection.close(CloseCode.LOAD_FAILED, "document could not be loaded");
      },
    );
  }

  private handleFrame(data: RawData, isBinary: boolean, replayed: boolean): void {
    const { connection } = this;
    if (this.firstMessageTimer) {
      clearTimeout(this.firstMessageTimer);
      this.firstMessageTimer = null;
    }
    if (!replayed) {
      const bytes = rawLength(data);
      if (!connection.withinRate(bytes)) {
        this.log.warn("closing connection over its rate limit");
        connection.close(CloseCode.RATE_LIMITED, "rate limit exceeded");
        return;
      }
      metrics.collabTraffic.messagesIn++;
      metrics.collabTraffic.bytesIn += bytes;
    }
    if (!isBinary) {
      connection.close(CloseCode.BAD_MESSAGE, "text frames are not part of the protocol");
      return;
    }
    if (!this.room) {
      if (this.answerFromStoredState(data)) return;
      if (this.early.length >= MAX_FRAMES_BEFORE_LOAD) connection.close(CloseCode.TOO_LARGE, "too many frames before load");
      else this.early.push(data);
      return;
    }
    try {
      this.room.receive(connection, decodeMessage(toUint8Array(data)));
    } catch (error) {
      closeOnError(connection, error, this.log);
    }
  }

  /** While the document loads, a new client (empty state vector) is answered from the stored
   *  state as soon as it is read, instead of after the document is built (see Rooms.acquire). */
  private storedStateRead(frame: Uint8Array): void {
    this.storedStateFrame = frame;
    const index = this.early.findIndex((data) => isEmptySyncStep1(data));
    if (index >= 0 && this.answerFromStoredState(this.early[index])) this.early.splice(index, 1);
  }

  private answerFromStoredState(data: RawData): boolean {
    if (!this.storedStateFrame || this.servedStoredState || !isEmptySyncStep1(data)) return false;
    this.connection.send(this.storedStateFrame);
    this.servedStoredState = true;
    return true;
  }

  private roomReady(room: Room): void {
    if (!this.connection.open) {
      this.rooms.release(room);
      this.releaseHold();
      return;
    }
    this.room = room;
    room.join(this.connection, { servedStoredState: this.servedStoredState });
    for (const data of this.early.splice(0)) {
      if (!this.connection.open) break;
      this.handleFrame(data, true, true);
    }
  }

  private closed(): void {
    if (this.firstMessageTimer) clearTimeout(this.firstMessageTimer);
    this.onClosed();
    if (this.room) {
      this.room.leave(this.connection);
      this.rooms.release(this.room);
      this.releaseHold();
    }
  }
}

/** The exact frame a y-websocket client with nothing yet sends first: sync, step 1, state vector [0]. */
function isEmptySyncStep1(data: RawData): boolean {
  if (Array.isArray(data) || data instanceof ArrayBuffer) return false;
  return data.length === 4 && data[0] === 0 && data[1] === 0 && data[2] === 1 && data[3] === 0;
}

function toUint8Array(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

function rawLength(data: RawData): number {
  return Array.isArray(data) ? data.reduce((sum, part) => sum + part.length, 0) : data.byteLength;
}
