// Which versions thinning removes, so a document's history stays bounded however long it is
// edited. Named versions are kept for ever, and so is the latest. Of the others: every version
// of the last day; one per hour (the last of each hour) for versions between a day and a week
// old; one per day (the last of each day, UTC) for older ones.

export const KEEP_ALL_MS = 24 * 60 * 60 * 1000;
export const HOURLY_UNTIL_MS = 7 * 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface ThinningCandidate {
  id: string;
  /** ms since the epoch. */
  createdAt: number;
  named: boolean;
}

/** Ids of the versions to thin, oldest first. `versions` must be in chain order (oldest first). */
export function thinnedVersions(versions: readonly ThinningCandidate[], now: number): string[] {
  const lastInBucket = new Map<string, string>();
  const bucketOf = (version: ThinningCandidate): string | null => {
    const age = now - version.createdAt;
    if (version.named || age < KEEP_ALL_MS) return null;
    return age < HOURLY_UNTIL_MS ? `h${Math.floor(version.createdAt / HOUR_MS)}` : `d${Math.floor(version.createdAt / DAY_MS)}`;
  };
  for (const version of versions) {
    const bucket = bucketOf(version);
    if (bucket !== null) lastInBucket.set(bucket, version.id);
  }
  const latest = versions.at(-1)?.id;
  return versions
    .filter((version) => {
      const bucket = bucketOf(version);
      return bucket !== null && version.id !== latest && lastInBucket.get(bucket) !== version.id;
    })
    .map((version) => version.id);
}
