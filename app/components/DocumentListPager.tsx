// Links below the home page's document list: the next page (keyed on the last document shown,
// see server/documents/documentListCursor.ts) and, past the first page, back to the newest.
// Plain links, not a client-side "load more", so a page is bookmarkable and works without JS.
import Link from "next/link";
import styles from "./DocumentListPager.module.css";

interface Props {
  /** Cursor of the next page; null on the last page. */
  nextCursor: string | null;
  /** True when this is not the first page. */
  paged: boolean;
}

export function DocumentListPager({ nextCursor, paged }: Props) {
  if (!nextCursor && !paged) return null;
  return (
    <nav className={styles.pager} aria-label="Document pages">
      {paged && (
        <Link href="/" className="button" data-testid="documents-first">
          Newest documents
        </Link>
      )}
      {nextCursor && (
        <Link href={`/?cursor=${encodeURIComponent(nextCursor)}`} className={`button ${styles.next}`} data-testid="documents-more">
          More documents
        </Link>
      )}
    </nav>
  );
}
