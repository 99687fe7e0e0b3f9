// Trash: the documents the signed-in account owns (every one for an admin) that were moved to
// Trash, most recently trashed first, a page at a time, each with Restore and Delete forever.
// Purged automatically TRASH_RETENTION_DAYS after they were trashed.
import Link from "next/link";
import { redirect } from "next/navigation";
import { signedInUser } from "@/app/pageAccess";
import { getAccessContext } from "@/server/access/accessContext";
import { listTrash, purgeDueAt } from "@/server/documents/documentTrash";
import { decodeDocumentListCursor, encodeDocumentListCursor } from "@/server/documents/documentListCursor";
import { trashRetentionDaysOf } from "@/server/config";
import { TrashActions } from "./TrashActions";

export const metadata = { title: "Trash" };

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function TrashPage({ searchParams }: Props) {
  const user = await signedInUser();
  if (!user) redirect((await getAccessContext().prisma.user.count()) === 0 ? "/sign-up" : "/sign-in?next=%2Ftrash");
  const cursorParam = (await searchParams).cursor;
  const cursor = typeof cursorParam === "string" ? decodeDocumentListCursor(cursorParam) : null;
  const result = await listTrash(user.id, { cursor });
  // Validated at start-up (server/config.ts), so this cannot throw here.
  const retentionDays = trashRetentionDaysOf();
  return (
    <section className="document-list-page" data-testid="trash-page">
      <div className="page-heading">
        <h1>Trash</h1>
        <Link href="/" className="button" data-testid="trash-back">
          Documents
        </Link>
      </div>
      <p className="muted">Documents in the Trash are deleted forever {retentionDays} days after they were moved there.</p>
      {!result.ok ? (
        <p className="error-text" role="alert" data-testid="trash-error">
          {result.message}
        </p>
      ) : result.value.documents.length === 0 ? (
        <p className="muted" data-testid="trash-empty">
          {cursor ? "No more documents in the Trash." : "The Trash is empty."}
        </p>
      ) : (
        <>
          <ul className="document-list" data-testid="trash-list">
            {result.value.documents.map((document) => (
              <li key={document.id} className="trash-row" data-testid="trash-item" data-document-id={document.id}>
                <span className="document-title" data-testid="trash-title">
                  {document.title}
                </span>
                <span className="muted">
                  Trashed {dateFormat.format(document.trashedAt)} UTC · deleted forever after{" "}
                  {dateFormat.format(purgeDueAt(document.trashedAt, retentionDays))} UTC
                </span>
                <TrashActions documentId={document.id} title={document.title} />
              </li>
            ))}
          </ul>
          {result.value.nextCursor && (
            <Link
              href={`/trash?cursor=${encodeURIComponent(encodeDocumentListCursor(result.value.nextCursor))}`}
              className="button"
              data-testid="trash-more"
            >
              More
            </Link>
          )}
        </>
      )}
    </section>
  );
}
