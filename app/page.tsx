// Home: the documents the signed-in account can open, most recently edited first, a page at a
// time (?cursor= picks the page), a button to start a new one, "Move to Trash" on the ones the
// account owns (every one for an admin) and a link to the Trash. Signed out: to sign-in (or
// to sign-up when there is no account yet).
import Link from "next/link";
import { redirect } from "next/navigation";
import { signedInUser } from "@/app/pageAccess";
import { getAccessContext } from "@/server/access/accessContext";
import { listDocuments } from "@/server/documents/documentRepository";
import { decodePageCursor, encodePageCursor } from "@/server/documents/documentListCursor";
import { NewDocumentButton } from "./components/NewDocumentButton";
import { DocumentListPager } from "./components/DocumentListPager";
import { TrashButton } from "./components/TrashButton";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function HomePage({ searchParams }: Props) {
  const user = await signedInUser();
  if (!user) redirect((await getAccessContext().prisma.user.count()) === 0 ? "/sign-up" : "/sign-in");
  const cursorParam = (await searchParams).cursor;
  // A cursor this server did not make (edited by hand, from an older version) means the first page.
  const cursor = typeof cursorParam === "string" ? decodePageCursor(cursorParam, "updated") : null;
  const result = await listDocuments(user.id, { cursor });
  return (
    <section className="document-list-page">
      <div className="page-heading">
        <h1>Documents</h1>
        <Link href="/trash" className="button trash-link" data-testid="trash-link">
          Trash
        </Link>
        <NewDocumentButton />
      </div>
      {!result.ok ? (
        <p className="error-text" role="alert" data-testid="documents-error">
          {result.message}
        </p>
      ) : result.value.documents.length === 0 ? (
        cursor ? (
          <p className="muted" data-testid="documents-end">
            No more documents. <Link href="/">Back to the newest.</Link>
          </p>
        ) : (
          <p className="muted" data-testid="documents-empty">
            No documents yet. Create the first one.
          </p>
        )
      ) : (
        <>
          <ul className="document-list" data-testid="document-list">
            {result.value.documents.map((document) => (
              <li key={document.id} className="document-row" data-document-id={document.id}>
                <Link href={`/d/${document.id}`} className="document-link" data-testid="document-link">
                  <span className="document-title">{document.title}</span>
                  <time className="muted" dateTime={document.updatedAt.toISOString()}>
                    {dateFormat.format(document.updatedAt)} UTC
                  </time>
                </Link>
                {(user.role === "admin" || document.ownerId === user.id) && (
                  <TrashButton documentId={document.id} then="refresh" testId="document-trash" />
                )}
              </li>
            ))}
          </ul>
          <DocumentListPager
            nextCursor={result.value.nextCursor ? encodePageCursor(result.value.nextCursor) : null}
            paged={cursor !== null}
          />
        </>
      )}
    </section>
  );
}
