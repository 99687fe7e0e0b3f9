// Who wrote one block of the editor and when it last changed, read off the Yjs items that make
// it up: every live item's client id (whose owner the server recorded: ClientAuthor) and its
// clock (whose time the owner's checkpoints give, to within a minute). Deleted text is not
// counted: a deletion carries no client id or time in Yjs.
import * as Y from "yjs";
import { timeOfClock, type ClientAuthor } from "./authors.ts";

export interface BlockAuthorship {
  /** The people who wrote what the block holds, most characters first. */
  authors: { clientId: number; author: ClientAuthor | null; weight: number }[];
  /** When the newest item was written (ms since the epoch), from the checkpoints; null when not recorded. */
  lastChanged: number | null;
  /** Client ids the authors list does not know yet (ask the server again). */
  unknownClients: number[];
}

export function blockAuthorship(block: Y.XmlElement | Y.XmlText, authors: ReadonlyMap<number, ClientAuthor>): BlockAuthorship {
  const weights = new Map<number, number>();
  const newest = new Map<number, number>();
  const add = (item: Y.Item) => {
    const { client, clock } = item.id;
    weights.set(client, (weights.get(client) ?? 0) + item.length);
    newest.set(client, Math.max(newest.get(client) ?? -1, clock + item.length - 1));
  };
  const visit = (type: Y.AbstractType<unknown>) => {
    if (type._item && !type._item.deleted) add(type._item);
    for (const item of type._map.values()) if (!item.deleted) add(item);
    for (let item = type._start; item !== null; item = item.right) {
      if (item.deleted) continue;
      add(item);
      if (item.content instanceof Y.ContentType) visit(item.content.type);
    }
  };
  visit(block as Y.AbstractType<unknown>);
  let lastChanged: number | null = null;
  const unknownClients: number[] = [];
  for (const [client, clock] of newest) {
    const author = authors.get(client);
    if (!author) {
      unknownClients.push(client);
      continue;
    }
    const time = timeOfClock(author.times, clock);
    if (time && (lastChanged === null || time.from > lastChanged)) lastChanged = time.from;
  }
  const list = [...weights].map(([clientId, weight]) => ({ clientId, author: authors.get(clientId) ?? null, weight })).sort((a, b) => b.weight - a.weight);
  return { authors: list, lastChanged, unknownClients };
}

/** "Alice and Bob", people named once each (one person may have several client ids). */
export function authorNames(authorship: BlockAuthorship): string[] {
  const names: string[] = [];
  for (const { author } of authorship.authors) {
    const name = author ? author.name : "someone (before authors were recorded)";
    if (!names.includes(name)) names.push(name);
  }
  return names;
}
