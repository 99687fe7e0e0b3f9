// The version history's API (app/api/documents/[id]/versions/...) as the history panel calls
// it: the session cookie, or the page's share token in the x-share-token header.
import type { JSONContent } from "@tiptap/core";
import { apiErrorMessage } from "@/app/components/apiErrorMessage";
import type { ChangeAuthor } from "@/lib/history/versionContent";

export interface VersionEntry {
  id: string;
  createdAt: string;
  kind: "auto" | "named" | "restore";
  name: string | null;
  authors: ChangeAuthor[];
}

export interface VersionList {
  versions: VersionEntry[];
  canRestore: boolean;
  canChangeSetting: boolean;
  readersMayBrowse: boolean;
}

export type Compare = "previous" | "current";

export interface OpenedVersion {
  version: VersionEntry;
  compare: Compare;
  against: VersionEntry | null;
  title: string;
  content: JSONContent;
  authors: ChangeAuthor[];
}

/** A failed call, with the API's message. */
export class HistoryApiError extends Error {}

export function historyApi(documentId: string, token: string | null) {
  const base = `/api/documents/${encodeURIComponent(documentId)}/versions`;
  const headers: Record<string, string> = token ? { "x-share-token": token } : {};
  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      ...init,
      cache: "no-store",
      headers: { ...headers, ...(init.body ? { "content-type": "application/json" } : {}) },
    });
    if (!response.ok) throw new HistoryApiError(await apiErrorMessage(response));
    return (await response.json()) as T;
  };
  return {
    list: () => call<VersionList>(""),
    open: (versionId: string, compare: Compare) => call<OpenedVersion>(`/${encodeURIComponent(versionId)}?compare=${compare}`),
    save: (name: string) => call<{ version: VersionEntry }>("", { method: "POST", body: JSON.stringify({ name }) }),
    setReadersMayBrowse: (readersMayBrowse: boolean) => call<{ readersMayBrowse: boolean }>("", { method: "PATCH", body: JSON.stringify({ readersMayBrowse }) }),
  };
}

export type HistoryApi = ReturnType<typeof historyApi>;
