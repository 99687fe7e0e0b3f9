// The application's tables as the database itself describes them (catalog queries, the same
// on PostgreSQL and PGlite), for copying a whole database table by table: which tables there
// are, in an order where every table comes after the tables its foreign keys point to, how to
// order their rows, their sequences, and a fingerprint of a table's content.
//
// Read from the catalog rather than listed by hand, so a table a later migration adds is moved
// and verified without anyone remembering to add it here.

/** Runs one statement with $1… parameters (a Prisma client or transaction's $queryRawUnsafe). */
export type RawQuery = <Row>(text: string, ...params: unknown[]) => Promise<Row[]>;

/** Prisma's bookkeeping table: written by the migrations on each side, never copied. */
export const MIGRATIONS_TABLE = "_prisma_migrations";

export interface TableInfo {
  name: string;
  /** Columns of the primary key (the order rows are read and fingerprinted in). */
  primaryKey: string[];
  /** Whether a column holds bytes (images, Yjs updates): such rows are read fewer at a time. */
  hasBytes: boolean;
}

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Every base table of the public schema except the migrations table, parents before children. */
export async function listTables(query: RawQuery): Promise<TableInfo[]> {
  const tables = await query<{ name: string; primary_key: string[] | null; has_bytes: boolean }>(
    `SELECT c.relname AS name,
            (SELECT array_agg(a.attname::text ORDER BY array_position(i.indkey::int2[], a.attnum))
               FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
              WHERE i.indrelid = c.oid AND i.indisprimary) AS primary_key,
            EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                       AND a.atttypid = 'bytea'::regtype) AS has_bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> $1
      ORDER BY c.relname`,
    MIGRATIONS_TABLE,
  );
  const references = await query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = 'public'`,
  );
  const unquote = (name: string) => (name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name);
  const parents = new Map<string, Set<string>>(tables.map((table) => [table.name, new Set<string>()]));
  for (const { child, parent } of references) {
    if (unquote(child) !== unquote(parent)) parents.get(unquote(child))?.add(unquote(parent));
  }
  // Depth-first topological order; the catalog's foreign keys have no cycles in this schema.
  const ordered: TableInfo[] = [];
  const placed = new Set<string>();
  const byName = new Map(tables.map((table) => [table.name, table]));
  const place = (name: string, path: Set<string>) => {
    if (placed.has(name) || !byName.has(name)) return;
    if (path.has(name)) throw new Error(`foreign keys form a cycle through ${name}`);
    path.add(name);
    for (const parent of parents.get(name) ?? []) place(parent, path);
    path.delete(name);
    placed.add(name);
    const table = byName.get(name)!;
    ordered.push({ name, primaryKey: table.primary_key ?? [], hasBytes: table.has_bytes });
  };
  for (const table of tables) place(table.name, new Set());
  return ordered;
}

/** ORDER BY for a table: its primary key, or the whole row when it has none. */
export function rowOrder(table: TableInfo): string {
  return table.primaryKey.length > 0 ? table.primaryKey.map(quoteIdent).join(", ") : "row_to_json(t)::text";
}

/** Rows of the public schema's tables with any, for telling whether a database is empty. */
export async function nonEmptyTables(query: RawQuery): Promise<{ name: string; rows: number }[]> {
  const found: { name: string; rows: number }[] = [];
  for (const { name } of await listTables(query)) {
    const [{ count }] = await query<{ count: string }>(`SELECT count(*)::text AS count FROM ${quoteIdent(name)}`);
    if (Number(count) > 0) found.push({ name, rows: Number(count) });
  }
  return found;
}

/** The sequences of the public schema (document_updates.seq) with their current position. */
export async function readSequences(query: RawQuery): Promise<{ name: string; lastValue: string; isCalled: boolean }[]> {
  const names = await query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'S' ORDER BY c.relname`,
  );
  const sequences = [];
  for (const { name } of names) {
    const [row] = await query<{ last_value: string; is_called: boolean }>(`SELECT last_value::text, is_called FROM ${quoteIdent(name)}`);
    sequences.push({ name, lastValue: row.last_value, isCalled: row.is_called });
  }
  return sequences;
}

/**
 * Row count and an MD5 over every row's text (JSON of all its columns, in key order). Equal
 * on two databases means equal content, whichever engine holds it. Run it with the session's
 * time zone set to UTC on both sides (timestamps are rendered in it).
 */
export async function tableFingerprint(query: RawQuery, table: TableInfo): Promise<{ rows: number; md5: string }> {
  const [row] = await query<{ rows: string; md5: string }>(
    `SELECT count(*)::text AS rows, md5(coalesce(string_agg(md5(row_to_json(t)::text), '' ORDER BY ${rowOrder(table)}), '')) AS md5
       FROM ${quoteIdent(table.name)} t`,
  );
  return { rows: Number(row.rows), md5: row.md5 };
}
