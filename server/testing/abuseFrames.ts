// Hostile collab frames for the fuzz suite: seeded random bytes, valid y-websocket frames and
// mutations of them, and hand-crafted Yjs / awareness payloads of the shapes reported against
// Yjs and lib0 (endless and truncated varints, huge declared lengths and struct counts,
// absurd run lengths, deep nesting, unknown content refs). Every frame has a `kind` so the
// suite can report what it sent, and the close codes it may legitimately end its connection
// with, so the suite can tell a refused frame from a server bug.

import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import { CloseCode } from "../../lib/closeCodes.ts";
import { DEFAULT_LIMITS } from "../collab/limits.ts";
import type { Random } from "./seededRandom.ts";

/** ws's own close code for a frame larger than its maxPayload (RFC 6455 "message too big"). */
export const WS_MESSAGE_TOO_BIG = 1009;

export interface FuzzFrame {
  kind: string;
  data: Uint8Array | string;
  binary: boolean;
  /** Close codes the server may answer this frame with; empty: a valid frame, to be accepted. */
  closes: readonly number[];
  /** Never acceptable (a text frame, an unknown type, a length past the end, ...): the
   *  connection must end, with one of `closes`. */
  alwaysCloses: boolean;
}

const NONE: readonly number[] = [];
const MALFORMED: readonly number[] = [CloseCode.BAD_MESSAGE];

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function bytes(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

/** type 0 sync, sub-type `step`, then the payload as a varUint8Array. */
export function syncFrame(step: number, payload: Uint8Array): Uint8Array {
  return bytes((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, step);
    encoding.writeVarUint8Array(e, payload);
  });
}

/** type 1 awareness with the payload as a varUint8Array. */
export function awarenessFrame(payload: Uint8Array): Uint8Array {
  return bytes((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, payload);
  });
}

/** A V1 update header: one client with `structs` structs starting at `clock`. */
function updateHeader(e: encoding.Encoder, { clients = 1, structs = 1, client = 1, clock = 0 } = {}): void {
  encoding.writeVarUint(e, clients);
  encoding.writeVarUint(e, structs);
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, clock);
}

/** An Item struct at the root type "t" with the given content ref and content writer. */
function rootItem(e: encoding.Encoder, contentRef: number, writeContent: (e: encoding.Encoder) => void, parent = "t"): void {
  encoding.writeUint8(e, contentRef & 0b11111); // no origins, no parentSub
  encoding.writeVarUint(e, 1); // parent is a root type (YKey)
  encoding.writeVarString(e, parent);
  writeContent(e);
}

function emptyDeleteSet(e: encoding.Encoder): void {
  encoding.writeVarUint(e, 0);
}

/** Hand-crafted V1 updates (the payload of a sync update frame), each with a name. */
export function craftedUpdates(): Array<[string, Uint8Array]> {
  const nested = (depth: number) =>
    bytes((e) => {
      updateHeader(e);
      rootItem(e, 8, (e) => {
        encoding.writeVarUint(e, 1);
        // readAny recursion: `depth` nested arrays (type 117), never closed.
        for (let i = 0; i < depth; i++) {
          encoding.writeUint8(e, 117);
          encoding.writeVarUint(e, 1);
        }
        encoding.writeUint8(e, 127);
      });
      emptyDeleteSet(e);
    });
  const list: Array<[string, Uint8Array]> = [
    ["update: endless varint client count", Uint8Array.from({ length: 64 }, () => 0xff)],
    ["update: client count 2^32", bytes((e) => encoding.writeVarUint(e, 2 ** 32))],
    ["update: struct count 2^31, no structs", bytes((e) => updateHeader(e, { structs: 2 ** 31 }))],
    [
      "update: struct count 2^30 of 1-byte GCs",
      bytes((e) => {
        updateHeader(e, { structs: 2 ** 30 });
        for (let i = 0; i < 100; i++) {
          encoding.writeUint8(e, 0);
          encoding.writeVarUint(e, 1);
        }
      }),
    ],
    [
      "update: GC run length MAX_SAFE",
      bytes((e) => {
        updateHeader(e);
        encoding.writeUint8(e, 0);
        encoding.writeVarUint(e, MAX_SAFE);
        emptyDeleteSet(e);
      }),
    ],
    [
      "update: GC run length 2^31 then item",
      bytes((e) => {
        updateHeader(e, { structs: 2 });
        encoding.writeUint8(e, 0);
        encoding.writeVarUint(e, 2 ** 31);
        rootItem(e, 4, (e) => encoding.writeVarString(e, "after a huge gc"));
        emptyDeleteSet(e);
      }),
    ],
    [
      "update: skip run length MAX_SAFE",
      bytes((e) => {
        updateHeader(e, { structs: 2 });
        encoding.writeUint8(e, 10);
        encoding.writeVarUint(e, MAX_SAFE);
        rootItem(e, 4, (e) => encoding.writeVarString(e, "x"));
        emptyDeleteSet(e);
      }),
    ],
    [
      "update: clock near MAX_SAFE",
      bytes((e) => {
        updateHeader(e, { clock: MAX_SAFE - 2 });
        rootItem(e, 4, (e) => encoding.writeVarString(e, "overflowing clock"));
        emptyDeleteSet(e);
      }),
    ],
    [
      "update: client id MAX_SAFE",
      bytes((e) => {
        updateHeader(e, { client: MAX_SAFE });
        rootItem(e, 4, (e) => encoding.writeVarString(e, "big client"));
        emptyDeleteSet(e);
      }),
    ],
    [
      "update: deleted run length 2^31",
      bytes((e) => {
        updateHeader(e);
        rootItem(e, 1, (e) => encoding.writeVarUint(e, 2 ** 31));
        emptyDeleteSet(e);
      }),
    ],
    [
      "update: string length 1e9 (truncated)",
      bytes((e) => {
        updateHeader(e);
        rootItem(e, 4, (e) => {
          encoding.writeVarUint(e, 1e9);
          encoding.writeUint8Array(e, new TextEncoder().encode("short"));
        });
      }),
    ],
    [
      "update: string length past the frame by 200 bytes",
      bytes((e) => {
        updateHeader(e);
        rootItem(e, 4, (e) => {
          encoding.writeVarUint(e, 210);
          encoding.writeUint8Array(e, new TextEncoder().encode("0123456789"));
        });
      }),
    ],
    [
      "update: any count 2^30",
      bytes((e) => {
        updateHeader(e);
        rootItem(e, 8, (e) => {
          encoding.writeVarUint(e, 2 ** 30);
          encoding.writeUint8(e, 126);
        });
      }),
    ],
    [
      "update: json count 2^30",
      bytes((e) => {
        updateHeader(e);
        rootItem(e, 2, (e) => {
          encoding.writeVarUint(e, 2 ** 30);
          encoding.writeVarString(e, "1");
        });
      }),
    ],
    [
      "update: invalid JSON content",
      bytes((e) => {
        updateHeader(e);
        rootItem(e, 2, (e) => {
          encoding.writeVarUint(e, 1);
          encoding.writeVarString(e, "{not json");
        });
        emptyDeleteSet(e);
      }),
    ],
    [
      "update: embed with invalid JSON",
      bytes((e) => {
        updateHeader(e);
        rootItem(e, 5, (e) => encoding.writeVarString(e, "[[[[["));
        emptyDeleteSet(e);
      }),
    ],
    [
      "update: binary length 2^31",
      bytes((e) => {
        updateHeader(e);
        rootItem(e, 3, (e) => encoding.writeVarUint(e, 2 ** 31));
      }),
    ],
    ["update: any nested 5000 deep", nested(5_000)],
    ["update: any nested 100000 deep", nested(100_000)],
    [
      "update: unknown type ref 99",
      bytes((e) => {
        updateHeader(e);
        rootItem(e, 7, (e) => encoding.writeVarUint(e, 99));
        emptyDeleteSet(e);
      }),
    ],
    [
      "update: content refs 11..31",
      bytes((e) => {
        updateHeader(e, { structs: 21 });
        for (let ref = 11; ref < 32; ref++) rootItem(e, ref, () => {});
        emptyDeleteSet(e);
      }),
    ],
    [
      "update: GC content ref 0 inside an item",
      bytes((e) => {
        updateHeader(e);
        encoding.writeUint8(e, 0b10000000); // origin set, content ref 0
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint(e, 0);
        emptyDeleteSet(e);
      }),
    ],
    [
      "update: item whose origin is itself",
      bytes((e) => {
        updateHeader(e, { client: 7, clock: 0 });
        encoding.writeUint8(e, 0b10000100); // origin, ContentString
        encoding.writeVarUint(e, 7);
        encoding.writeVarUint(e, 0);
        encoding.writeVarString(e, "self");
        emptyDeleteSet(e);
      }),
    ],
    [
      "update: item whose parent is itself",
      bytes((e) => {
        updateHeader(e, { client: 8, clock: 0 });
        encoding.writeUint8(e, 7);
        encoding.writeVarUint(e, 0); // parent is an ID
        encoding.writeVarUint(e, 8);
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, 1); // YMap
        emptyDeleteSet(e);
      }),
    ],
    [
      "update: root key of 100 kB",
      bytes((e) => {
        updateHeader(e);
        rootItem(e, 4, (e) => encoding.writeVarString(e, "x"), "k".repeat(100_000));
        emptyDeleteSet(e);
      }),
    ],
    [
      "update: delete set with 2^31 clients",
      bytes((e) => {
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, 2 ** 31);
        encoding.writeVarUint(e, 1);
      }),
    ],
    [
      "update: delete range of length MAX_SAFE",
      bytes((e) => {
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, MAX_SAFE);
      }),
    ],
    [
      "update: 2^31 delete ranges",
      bytes((e) => {
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint(e, 2 ** 31);
        for (let i = 0; i < 50; i++) {
          encoding.writeVarUint(e, i * 2);
          encoding.writeVarUint(e, 1);
        }
      }),
    ],
    [
      "update: many subdocuments",
      bytes((e) => {
        updateHeader(e, { structs: 2_000, client: 9 });
        for (let i = 0; i < 2_000; i++) {
          if (i === 0) {
            encoding.writeUint8(e, 9);
            encoding.writeVarUint(e, 1);
            encoding.writeVarString(e, "subdocs");
          } else {
            encoding.writeUint8(e, 0b10001001); // origin = previous item, ContentDoc
            encoding.writeVarUint(e, 9);
            encoding.writeVarUint(e, i - 1);
          }
          encoding.writeVarString(e, `g${i}`);
          encoding.writeAny(e, {});
        }
        emptyDeleteSet(e);
      }),
    ],
    ["update: empty", new Uint8Array(0)],
    ["update: only zeros", new Uint8Array(32)],
  ];
  return list;
}

/** Hand-crafted awareness payloads. */
export function craftedAwareness(): Array<[string, Uint8Array]> {
  const entry = (e: encoding.Encoder, client: number, clock: number, state: string) => {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, clock);
    encoding.writeVarString(e, state);
  };
  return [
    ["awareness: count 2^31", bytes((e) => encoding.writeVarUint(e, 2 ** 31))],
    ["awareness: invalid JSON state", bytes((e) => { encoding.writeVarUint(e, 1); entry(e, 5, 1, "{"); })],
    ["awareness: clock MAX_SAFE", bytes((e) => { encoding.writeVarUint(e, 1); entry(e, 6, MAX_SAFE, "{}"); })],
    ["awareness: state length 1e9", bytes((e) => { encoding.writeVarUint(e, 1); encoding.writeVarUint(e, 7); encoding.writeVarUint(e, 1); encoding.writeVarUint(e, 1e9); })],
    ["awareness: deeply nested JSON", bytes((e) => { encoding.writeVarUint(e, 1); entry(e, 8, 1, "[".repeat(50_000) + "]".repeat(50_000)); })],
    ["awareness: null state for client 0", bytes((e) => { encoding.writeVarUint(e, 1); entry(e, 0, 2, "null"); })],
    ["awareness: 2000 clients", bytes((e) => { encoding.writeVarUint(e, 2_000); for (let i = 0; i < 2_000; i++) entry(e, 100_000 + i, 1, '{"u":1}'); })],
    ["awareness: endless varint", Uint8Array.from({ length: 40 }, () => 0x80)],
  ];
}

/** Valid payloads made by real Yjs documents, used as-is and as seeds for mutation. */
function validCorpus(random: Random): { updates: Uint8Array[]; stateVectors: Uint8Array[]; awareness: Uint8Array[] } {
  const updates: Uint8Array[] = [];
  const doc = new Y.Doc();
  doc.clientID = random.int(1, 2 ** 31);
  doc.on("update", (update: Uint8Array) => updates.push(update));
  const text = doc.getText("t");
  const map = doc.getMap("m");
  const array = doc.getArray("a");
  const xml = doc.getXmlFragment("x");
  for (let i = 0; i < 60; i++) {
    switch (random.int(0, 7)) {
      case 0:
        text.insert(random.int(0, text.length + 1), `w${i} `.repeat(random.int(1, 4)));
        break;
      case 1:
        if (text.length > 2) text.delete(random.int(0, text.length - 1), 1);
        break;
      case 2:
        if (text.length > 2) text.format(0, random.int(1, text.length), { bold: true });
        break;
      case 3:
        map.set(`k${random.int(0, 5)}`, random.chance(0.5) ? { n: i, s: "v", a: [1, null, true] } : new Uint8Array([i, 1, 2]));
        break;
      case 4:
        array.push([i, `s${i}`, { o: i }]);
        break;
      case 5: {
        const nestedMap = new Y.Map();
        map.set(`nested${i}`, nestedMap);
        nestedMap.set("x", i);
        break;
      }
      default: {
        const element = new Y.XmlElement("p");
        element.insert(0, [new Y.XmlText(`para ${i}`)]);
        xml.push([element]);
      }
    }
  }
  updates.push(Y.encodeStateAsUpdate(doc), Y.encodeStateAsUpdateV2(doc));
  const stateVectors = [Y.encodeStateVector(doc), new Uint8Array([0]), Y.encodeStateVector(new Y.Doc())];
  const awareness: Uint8Array[] = [];
  const aw = new awarenessProtocol.Awareness(new Y.Doc());
  for (let i = 0; i < 10; i++) {
    aw.setLocalState({ user: { name: `fuzz ${i}`, color: "#abc" }, cursor: { anchor: i, head: i + 1 } });
    awareness.push(awarenessProtocol.encodeAwarenessUpdate(aw, [aw.clientID]));
  }
  aw.destroy();
  doc.destroy();
  return { updates, stateVectors, awareness };
}

/** Crafted payloads that are valid but costly to apply (see the subdocument test in
 *  limits.test.ts); kept out of the random mix so the fuzz measures parsing, not this cost. */
export const AMPLIFICATION = ["update: many subdocuments"];

/** Seeded generator of hostile frames. */
export class FrameFuzzer {
  readonly counts = new Map<string, number>();
  private readonly validFrames: Array<[string, Uint8Array]>;
  private readonly crafted: Array<[string, Uint8Array]>;
  /** Crafted frames used in random picks: all but the amplification ones (tested on their own). */
  private readonly randomCrafted: Array<[string, Uint8Array]>;

  constructor(
    /** Replaceable: the suites give every connection its own seeded generator. */
    public random: Random,
    /** Frames larger than this are "oversized" (expect close 1009). */
    private readonly maxPayloadBytes: number,
    /** The server's awareness size limit: a larger awareness frame may be closed with 4413. */
    private readonly maxAwarenessBytes = DEFAULT_LIMITS.maxAwarenessBytes,
  ) {
    const corpus = validCorpus(random);
    const v2 = corpus.updates[corpus.updates.length - 1];
    const kindOfUpdate = (u: Uint8Array, valid: string) => (u === v2 ? "V2 update sent as V1" : valid);
    this.validFrames = [
      ...corpus.updates.map((u): [string, Uint8Array] => [kindOfUpdate(u, "valid update"), syncFrame(2, u)]),
      ...corpus.updates.slice(-2).map((u): [string, Uint8Array] => [kindOfUpdate(u, "valid step2"), syncFrame(1, u)]),
      ...corpus.stateVectors.map((sv): [string, Uint8Array] => ["valid step1", syncFrame(0, sv)]),
      ...corpus.awareness.map((a): [string, Uint8Array] => ["valid awareness", awarenessFrame(a)]),
      ["valid query-awareness", Uint8Array.of(3)],
    ];
    this.crafted = [
      ["step1: truncated state vector", syncFrame(0, Uint8Array.of(1, 5, 0x80))],
      ["step1: state vector count 2^31", syncFrame(0, bytes((e) => encoding.writeVarUint(e, 2 ** 31)))],
      ["step1: endless varint state vector", syncFrame(0, new Uint8Array(30).fill(0xff))],
      ...craftedUpdates().flatMap(([name, u]): Array<[string, Uint8Array]> => [
        [name, syncFrame(2, u)],
        [`${name} (as step2)`, syncFrame(1, u)],
      ]),
      ...craftedAwareness().map(([name, a]): [string, Uint8Array] => [name, awarenessFrame(a)]),
    ];
    this.randomCrafted = this.crafted.filter(([kind]) => !AMPLIFICATION.some((a) => kind.startsWith(a)));
  }

  /** Every crafted frame once, in order (the targeted part of the suite). */
  allCrafted(): FuzzFrame[] {
    return this.crafted.map(([kind, data]) => this.suspect(kind, data));
  }

  /** A random hostile (or valid) frame. */
  next(): FuzzFrame {
    const frame = this.pick();
    this.counts.set(frame.kind, (this.counts.get(frame.kind) ?? 0) + 1);
    return frame;
  }

  /** Frame counts by family (the part of the kind before ':' or '('), for the report. */
  families(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [kind, n] of this.counts) {
      const family = kind.split(/[:(]/, 1)[0].trim();
      out[family] = (out[family] ?? 0) + n;
    }
    return out;
  }

  /** A frame that may or may not be valid: refused, if at all, as malformed (4400), or as too
   *  large when it is an awareness frame over the limit (4413). A mutation may also grow a
   *  frame past maxPayloadBytes (ws then closes with 1009 before anything reads it). */
  private suspect(kind: string, data: Uint8Array): FuzzFrame {
    if (data.length > this.maxPayloadBytes) return { kind, data, binary: true, closes: [WS_MESSAGE_TOO_BIG], alwaysCloses: true };
    const tooLargeAwareness = data[0] === 1 && data.length > this.maxAwarenessBytes;
    return { kind, data, binary: true, closes: tooLargeAwareness ? [...MALFORMED, CloseCode.TOO_LARGE] : MALFORMED, alwaysCloses: false };
  }

  /** A frame no server may accept, refused as malformed. */
  private invalid(kind: string, data: Uint8Array): FuzzFrame {
    return { kind, data, binary: true, closes: MALFORMED, alwaysCloses: true };
  }

  /** A frame of the valid corpus, as is (or followed by bytes the protocol ignores). */
  private valid(kind: string, data: Uint8Array, sourceKind = kind): FuzzFrame {
    // Sent as V1, the V2 encoding is not a valid update.
    if (sourceKind.startsWith("V2")) return this.suspect(kind, data);
    return { kind, data, binary: true, closes: NONE, alwaysCloses: false };
  }

  private pick(): FuzzFrame {
    const r = this.random;
    const roll = r.next();
    if (roll < 0.1) return this.suspect("random bytes", this.randomBytes(r.chance(0.9) ? r.int(1, 64) : r.int(64, 4096)));
    if (roll < 0.12) return this.invalid("empty", new Uint8Array(0));
    if (roll < 0.36) {
      const [kind, data] = r.pick(this.validFrames);
      return this.valid(kind, data);
    }
    if (roll < 0.66) return this.suspect("mutated valid", this.mutate(r.pick(this.validFrames)[1]));
    if (roll < 0.7) return this.invalid("truncated varint", this.truncatedVarint());
    if (roll < 0.74) return this.invalid("endless varint", this.endlessVarint());
    if (roll < 0.79) return this.invalid("huge length", this.hugeLength());
    if (roll < 0.84) return this.invalid("wrong type", this.wrongType());
    if (roll < 0.97) {
      const [kind, data] = r.pick(this.randomCrafted);
      return r.chance(0.3) ? this.suspect("mutated crafted", this.mutate(data)) : this.suspect(kind, data);
    }
    if (roll < 0.985) {
      const data = r.pick(["hello", "", "\u0000\u0001", "{}"]);
      return { kind: "text frame", data, binary: false, closes: MALFORMED, alwaysCloses: true };
    }
    if (roll < 0.9985) {
      const [kind, data] = r.pick(this.validFrames);
      return this.valid("valid frame, trailing garbage", this.concat(data, this.randomBytes(r.int(1, 16))), kind);
    }
    return { kind: "oversized", data: this.oversized(), binary: true, closes: [WS_MESSAGE_TOO_BIG], alwaysCloses: true };
  }

  private randomBytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.random.int(0, 256);
    return out;
  }

  private concat(a: Uint8Array, b: Uint8Array): Uint8Array {
    const out = new Uint8Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  }

  private mutate(source: Uint8Array): Uint8Array {
    const r = this.random;
    let out: Uint8Array = Uint8Array.from(source);
    const ops = r.int(1, 4);
    for (let i = 0; i < ops; i++) {
      switch (r.int(0, 6)) {
        case 0: // flip bits
          if (out.length) out[r.int(0, out.length)] ^= 1 << r.int(0, 8);
          break;
        case 1: // random byte
          if (out.length) out[r.int(0, out.length)] = r.int(0, 256);
          break;
        case 2: // truncate
          out = out.slice(0, r.int(0, out.length + 1));
          break;
        case 3: // splice in random bytes
          {
            const at = r.int(0, out.length + 1);
            out = this.concat(this.concat(out.slice(0, at), this.randomBytes(r.int(1, 8))), out.slice(at));
          }
          break;
        case 4: // set a byte to a varint continuation/extreme value
          if (out.length) out[r.int(0, out.length)] = r.pick([0x00, 0x7f, 0x80, 0xff]);
          break;
        default: // duplicate a slice
          {
            const from = r.int(0, out.length + 1);
            const to = r.int(from, out.length + 1);
            out = this.concat(out, out.slice(from, to));
          }
      }
    }
    return out;
  }

  private truncatedVarint(): Uint8Array {
    return this.random.pick([
      Uint8Array.of(0x80),
      Uint8Array.of(0, 0x80),
      Uint8Array.of(0, 2, 0x80),
      Uint8Array.of(0, 2, 0xff, 0xff),
      Uint8Array.of(1, 0x80, 0x80),
      Uint8Array.of(0, 0, 0xff),
      Uint8Array.of(0, 2, 5, 1, 0x80),
    ]);
  }

  private endlessVarint(): Uint8Array {
    const r = this.random;
    const prefix = r.pick([[], [0], [0, 2], [0, 0], [1], [0, 2, 10, 1]]);
    const run = new Uint8Array(r.int(10, 2_000)).fill(r.pick([0xff, 0x80, 0xfe]));
    return this.concat(Uint8Array.from(prefix), run);
  }

  private hugeLength(): Uint8Array {
    const r = this.random;
    const length = r.pick([2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 1e9, 65_536, 16 * 1024 * 1024 + 1]);
    const prefix = r.pick([[0, 0], [0, 1], [0, 2], [1]]);
    return bytes((e) => {
      for (const b of prefix) encoding.writeVarUint(e, b);
      encoding.writeVarUint(e, length);
      encoding.writeUint8Array(e, this.randomBytes(r.int(0, 32)));
    });
  }

  private wrongType(): Uint8Array {
    const r = this.random;
    const type = r.pick([2, 4, 5, 100, 127, 128, 2 ** 31, MAX_SAFE]);
    const sub = r.pick([null, 3, 4, 255, 2 ** 40]);
    return bytes((e) => {
      if (sub !== null && r.chance(0.5)) {
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, sub);
      } else encoding.writeVarUint(e, type);
      encoding.writeVarUint8Array(e, this.randomBytes(r.int(0, 16)));
    });
  }

  private oversized(): Uint8Array {
    // A structurally valid sync update whose frame is just above the limit.
    const filler = new Uint8Array(this.maxPayloadBytes + 1).fill(0x61);
    return syncFrame(2, filler);
  }
}
