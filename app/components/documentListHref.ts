// The home page's URL for a list view: sort, filter and page, defaults left out so the plain
// "/" stays the default view. Shared by the list's controls and its pager.
import type { DocumentFilter, DocumentSort } from "@/server/documents/documentRepository";

export interface DocumentListView {
  sort: DocumentSort;
  filter: DocumentFilter;
}

export function documentListHref({ sort, filter }: DocumentListView, cursor: string | null = null): string {
  const params = new URLSearchParams();
  if (filter !== "all") params.set("filter", filter);
  if (sort !== "updated") params.set("sort", sort);
  if (cursor) params.set("cursor", cursor);
  const query = params.toString();
  return query ? `/?${query}` : "/";
}
