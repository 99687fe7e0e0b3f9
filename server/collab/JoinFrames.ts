// What a new joiner (empty state vector) is sent: the update frames broadcast since the last
// full encoding, then the full state as one sync step 2 frame — last, because y-websocket
// clients call themselves synced on step 2, and Yjs holds the earlier updates as pending
// until the state they build on arrives. Kept ready so that a crowd of joiners
// (a sync storm, a class opening one document) costs no re-encoding of a large document on
// the event loop. A reconnecting client, which has a state vector, gets its exact diff instead.
import * as Y from "yjs";
import { encodeSyncStep2 } from "./protocol.ts";

/** Update frames kept after the base before it is cheaper to re-encode the whole document. */
const MAX_TRAILING_FRAMES = 256;
/** ...or once they add up to this share of the base's size (and at least 64 KiB). */
const MAX_TRAILING_SHARE = 0.25;
const MIN_TRAILING_BYTES = 64 * 1024;

export class JoinFrames {
  private base: Uint8Array | null = null;
  private trailing: Uint8Array[] = [];
  private trailingBytes = 0;
  private baseBytes = 0;

  /**
   * `state`: the stored state the document was loaded from (a valid full-state update);
   * `stateFrame`: its step 2 frame when already encoded (see Rooms' stored-state listeners).
   */
  constructor(state: Uint8Array | null, stateFrame: Uint8Array | null = null) {
    if (state) this.reset(state, stateFrame);
  }

  /** True for the state vector of a client that has nothing yet. */
  static isEmpty(stateVector: Uint8Array): boolean {
    return stateVector.length === 1 && stateVector[0] === 0;
  }

  /** Frames that bring an empty client to the document's current state (`doc` is asked for
   *  only when the cache was dropped and the state must be encoded again). */
  framesFor(doc: () => Y.Doc): Uint8Array[] {
    if (!this.base) this.reset(Y.encodeStateAsUpdate(doc()));
    return [...this.trailing, this.base!];
  }

  /** Records a broadcast update frame; drops the cache once re-encoding would be smaller. */
  onUpdate(frame: Uint8Array): void {
    if (!this.base) return;
    this.trailing.push(frame);
    this.trailingBytes += frame.length;
    if (
      this.trailing.length > MAX_TRAILING_FRAMES ||
      this.trailingBytes > Math.max(MIN_TRAILING_BYTES, this.baseBytes * MAX_TRAILING_SHARE)
    ) {
      this.base = null;
      this.trailing = [];
    }
  }

  private reset(state: Uint8Array, stateFrame: Uint8Array | null = null): void {
    this.base = stateFrame ?? encodeSyncStep2(state);
    this.baseBytes = state.length;
    this.trailing = [];
    this.trailingBytes = 0;
  }
}
