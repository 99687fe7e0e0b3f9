// The wire form of a share link in the API (never its secret: only a hash is stored).
import type { ShareLinkInfo } from "./shareLinks.ts";
import { isLive } from "./shareLinks.ts";

export interface ShareLinkJson {
  id: string;
  role: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  live: boolean;
}

export function shareLinkJson(link: ShareLinkInfo): ShareLinkJson {
  return {
    id: link.id,
    role: link.role,
    createdAt: link.createdAt.toISOString(),
    expiresAt: link.expiresAt?.toISOString() ?? null,
    revokedAt: link.revokedAt?.toISOString() ?? null,
    live: isLive(link),
  };
}
