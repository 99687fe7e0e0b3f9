// One document: its title and the collaborative editor, for whoever has a role on it through
// their account or the share link in `?token=`. The role decides what the page offers; the
// server enforces it again on every request and on the WebSocket.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { isValidDocumentId } from "@/lib/documentId";
import { canShare } from "@/lib/access/roles";
import { colorForId } from "@/lib/editor/userIdentity";
import { pageDocumentAccess } from "@/app/pageAccess";
import { getDocument } from "@/server/documents/documentRepository";
import { DocumentTitle } from "./DocumentTitle";
import { DocumentEditor } from "./DocumentEditor";
import { ShareButton } from "./ShareButton";
import { TrashButton } from "@/app/components/TrashButton";
import { ExportMenu } from "./ExportMenu";
import Link from "next/link";
import { cspNonce } from "@/app/cspNonce";
import { earlySocketScript } from "@/lib/sync/earlySocket";
import { EXTENSION_SUBPROTOCOL } from "@/lib/protocolExtensions";

// Next 16: page params arrive as a Promise.
interface Props {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

async function load({ params, searchParams }: Props) {
  const { id } = await params;
  const rawToken = (await searchParams).token;
  const token = typeof rawToken === "string" ? rawToken : null;
  if (!isValidDocumentId(id)) return { id, token, access: null };
  return { id, token, access: await pageDocumentAccess(id, token) };
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { id, access } = await load(props);
  if (!access?.role) return { title: "Document" };
  const result = await getDocument(id);
  return result.ok ? { title: result.value.title } : {};
}

export default async function DocumentPage(props: Props) {
  const { id, token, access } = await load(props);
  if (!access?.role) {
    if (access?.deadLink) {
      return (
        <p className="centered-message error-text" role="alert" data-testid="link-invalid">
          This link is no longer valid. Ask the document&apos;s owner for a new one.
        </p>
      );
    }
    if (!access?.user) redirect(`/sign-in?next=${encodeURIComponent(`/d/${id}`)}`);
    // Also for documents that do not exist: whether one does is not for outsiders to learn.
    return (
      <p className="centered-message error-text" role="alert" data-testid="no-access">
        You do not have access to this document, or it does not exist.
      </p>
    );
  }
  if (access.trashed) {
    return (
      <div className="centered-message" role="alert" data-testid="document-trashed">
        <p className="error-text">This document is in the Trash. Nobody can open it until its owner restores it.</p>
        {canShare(access.role) && (
          <Link href="/trash" className="button" data-testid="document-trashed-trash-link">
            Open the Trash
          </Link>
        )}
      </div>
    );
  }
  const result = await getDocument(id);
  if (!result.ok) {
    return (
      <p className="error-text" role="alert">
        {result.message}
      </p>
    );
  }
  const { role, user } = access;
  const nonce = await cspNonce();
  return (
    <article className="document-page" data-role={role}>
      {/* The collab socket opens now, while the scripts load (lib/sync/earlySocket.ts). Not
          for a link's guest, who names themselves first (the name goes into the socket's URL). */}
      {user && <script nonce={nonce} dangerouslySetInnerHTML={{ __html: earlySocketScript(id, token ? { token } : {}, [EXTENSION_SUBPROTOCOL]) }} />}
      <div className="document-header">
        <DocumentTitle documentId={id} initialTitle={result.value.title} />
        <ExportMenu documentId={id} token={token} />
        {canShare(role) && <ShareButton documentId={id} canInvite={user?.role === "admin"} />}
        {canShare(role) && <TrashButton documentId={id} then="home" testId="editor-trash" />}
      </div>
      <DocumentEditor
        documentId={id}
        role={role}
        token={token}
        account={user ? { name: user.name, color: colorForId(user.id) } : null}
        accountId={user?.id ?? null}
      />
    </article>
  );
}
