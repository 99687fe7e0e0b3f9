// Above the home page's document list: which documents (all, owned by me, shared with me) and
// in which order (last edited, title). Links, so each view has its own URL and works without JS;
// the current choice is marked with aria-current.
import Link from "next/link";
import styles from "./DocumentListControls.module.css";
import { documentListHref, type DocumentListView } from "./documentListHref";
import type { DocumentFilter, DocumentSort } from "@/server/documents/documentRepository";

const FILTER_LABELS: [DocumentFilter, string][] = [
  ["all", "All"],
  ["owned", "Owned by me"],
  ["shared", "Shared with me"],
];
const SORT_LABELS: [DocumentSort, string][] = [
  ["updated", "Last edited"],
  ["title", "Title"],
];

export function DocumentListControls({ view }: { view: DocumentListView }) {
  return (
    <div className={styles.controls}>
      <Choices label="Show documents" testId="list-filter" choices={FILTER_LABELS} current={view.filter} href={(filter) => documentListHref({ ...view, filter })} />
      <Choices label="Sort documents by" testId="list-sort" prefix="Sort:" choices={SORT_LABELS} current={view.sort} href={(sort) => documentListHref({ ...view, sort })} />
    </div>
  );
}

interface ChoicesProps<T extends string> {
  label: string;
  testId: string;
  prefix?: string;
  choices: [T, string][];
  current: T;
  href: (choice: T) => string;
}

/** One row of choices, each a link to its view; the current one marked with aria-current. */
function Choices<T extends string>({ label, testId, prefix, choices, current, href }: ChoicesProps<T>) {
  return (
    <nav aria-label={label} className={styles.group} data-testid={testId}>
      {prefix && <span className="muted">{prefix}</span>}
      {choices.map(([choice, text]) => (
        <Link
          key={choice}
          href={href(choice)}
          className={styles.choice}
          aria-current={current === choice ? "page" : undefined}
          data-testid={`${testId}-${choice}`}
        >
          {text}
        </Link>
      ))}
    </nav>
  );
}
