// One document: its title and the collaborative editor.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { isValidDocumentId } from "@/lib/documentId";
import { getDocument } from "@/server/documents/documentRepository";
import { DocumentTitle } from "./DocumentTitle";
import { DocumentEditor } from "./DocumentEditor";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Next 16: page params arrive as a Promise.
interface Props {
  params: Promise<{ id: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  if (!isValidDocumentId(id)) return {};
  const result = await getDocument(id);
  return result.ok ? { title: result.value.title } : {};
}

export default async function DocumentPage({ params }: Props) {
  const { id } = await params;
  if (!isValidDocumentId(id)) notFound();
  const result = await getDocument(id);
  if (!result.ok) {
    if (result.code === "not_found" || result.code === "invalid_id") notFound();
    // A database outage is not the document's fault: say so rather than pretend it is gone.
    return (
      <p className="error-text" role="alert">
        {result.message}
      </p>
    );
  }
  return (
    <article className="document-page">
      <DocumentTitle documentId={id} initialTitle={result.value.title} />
      <DocumentEditor documentId={id} />
    </article>
  );
}
