// Links below the home page's document list: the next page (keyed on the last document shown,
// in the key of the list's sort, see server/documents/documentListCursor.ts) and, past the
// first page, back to the first. Plain links, not a client-side "load more", so a page is
// bookmarkable and works without JS. Sort and filter carry over to both.
import Link from "next/link";
import styles from "./DocumentListPager.module.css";
import { documentListHref, type DocumentListView } from "./documentListHref";

interface Props {
  view: DocumentListView;
  /** Cursor of the next page; null on the last page. */
  nextCursor: string | null;
  /** True when this is not the first page. */
  paged: boolean;
}

export function DocumentListPager({ view, nextCursor, paged }: Props) {
  if (!nextCursor && !paged) return null;
  return (
    <nav className={styles.pager} aria-label="Document pages">
      {paged && (
        <Link href={documentListHref(view)} className="button" data-testid="documents-first">
          {view.sort === "title" ? "First page" : "Newest documents"}
        </Link>
      )}
      {nextCursor && (
        <Link href={documentListHref(view, nextCursor)} className={`button ${styles.next}`} data-testid="documents-more">
          More documents
        </Link>
      )}
    </nav>
  );
}
