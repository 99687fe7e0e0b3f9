// Home: a search box over the documents the signed-in account can open, and their list a page
// at a time (?cursor=), last edited first or by title (?sort=), all of them, those it owns or
// those shared with it (?filter=), each with its owner, last editor and when it was last edited
// (in the viewer's own time zone); a button to start a new one, "Move to Trash" on the ones
// the account owns (every one for an admin) and a link to the Trash. Signed out: a landing that
// says what this is and how to get in (sign-up when there is no account yet).
import Link from "next/link";
import { redirect } from "next/navigation";
import { signedInUser } from "@/app/pageAccess";
import { getAccessContext } from "@/server/access/accessContext";
import {
  DOCUMENT_FILTERS,
  DOCUMENT_SORTS,
  listDocuments,
  type DocumentFilter,
  type DocumentSort,
  type ListedDocument,
} from "@/server/documents/documentRepository";
import { decodePageCursor, encodePageCursor } from "@/server/documents/documentListCursor";
import { NewDocumentButton } from "./components/NewDocumentButton";
import { DocumentListControls } from "./components/DocumentListControls";
import { ImportDocuments } from "./components/ImportDocuments";
import { DocumentListPager } from "./components/DocumentListPager";
import { documentListHref, type DocumentListView } from "./components/documentListHref";
import { LocalTime } from "./components/LocalTime";
import { SearchBox } from "./components/SearchBox";
import { TrashButton } from "./components/TrashButton";
import { Landing } from "./components/Landing";
import styles from "./page.module.css";

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

function oneOf<T extends string>(values: readonly T[], value: unknown, fallback: T): T {
  return (values as readonly unknown[]).includes(value) ? (value as T) : fallback;
}

const EMPTY_MESSAGES: Record<DocumentFilter, string> = {
  all: "No documents yet. Create the first one.",
  owned: "You do not own any documents yet.",
  shared: "Nobody has shared a document with you yet.",
};

export default async function HomePage({ searchParams }: Props) {
  const user = await signedInUser();
  if (!user) {
    const { prisma, signup } = getAccessContext();
    if ((await prisma.user.count()) === 0) redirect("/sign-up");
    return <Landing signupOpen={(await signup.current()) === "open"} />;
  }
  const params = await searchParams;
  // Unknown values (edited by hand, from an older version) mean the default view; a cursor that
  // is not one this server made for this sort means the first page.
  const view: DocumentListView = {
    sort: oneOf<DocumentSort>(DOCUMENT_SORTS, params.sort, "updated"),
    filter: oneOf<DocumentFilter>(DOCUMENT_FILTERS, params.filter, "all"),
  };
  const cursor = typeof params.cursor === "string" ? decodePageCursor(params.cursor, view.sort) : null;
  const result = await listDocuments(user.id, { cursor, sort: view.sort, filter: view.filter });
  const personName = (person: ListedDocument["owner"]) => (person?.id === user.id ? "you" : person?.name);
  return (
    <section className="document-list-page">
      <div className="page-heading">
        <h1>Documents</h1>
        <Link href="/trash" className="button trash-link" data-testid="trash-link">
          Trash
        </Link>
        <ImportDocuments />
        <NewDocumentButton />
      </div>
      <SearchBox />
      <DocumentListControls view={view} />
      {!result.ok ? (
        <p className="error-text" role="alert" data-testid="documents-error">
          {result.message}
        </p>
      ) : result.value.documents.length === 0 ? (
        cursor ? (
          <p className="muted" data-testid="documents-end">
            No more documents. <Link href={documentListHref(view)}>Back to the first page.</Link>
          </p>
        ) : (
          <p className="muted" data-testid="documents-empty">
            {EMPTY_MESSAGES[view.filter]}
          </p>
        )
      ) : (
        <>
          <ul className="document-list" data-testid="document-list">
            {result.value.documents.map((document) => (
              <li key={document.id} className="document-row" data-document-id={document.id}>
                <Link href={`/d/${document.id}`} className="document-link" data-testid="document-link">
                  <span className="document-title">{document.title}</span>
                  <span className={`muted ${styles.meta}`}>
                    {document.owner && <span data-testid="document-owner">Owner: {personName(document.owner)}</span>}
                    {document.lastEditor && <span data-testid="document-last-editor">Edited by {personName(document.lastEditor)}</span>}
                    <LocalTime iso={document.updatedAt.toISOString()} testId="document-updated" />
                  </span>
                </Link>
                {(user.role === "admin" || document.ownerId === user.id) && (
                  <TrashButton documentId={document.id} title={document.title} then="refresh" testId="document-trash" />
                )}
              </li>
            ))}
          </ul>
          <DocumentListPager
            view={view}
            nextCursor={result.value.nextCursor ? encodePageCursor(result.value.nextCursor) : null}
            paged={cursor !== null}
          />
        </>
      )}
    </section>
  );
}
