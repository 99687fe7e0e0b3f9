// Who is looking at a page, looked up once per request: the layout, generateMetadata and the
// page all ask, and without React's request cache each would query the session (and the
// document page its role) again.
import { cache } from "react";
import { headers } from "next/headers";
import { currentUser, documentAccessOf } from "@/server/access/requestAccess";

export const signedInUser = cache(async () => currentUser(await headers()));

export const pageDocumentAccess = cache((documentId: string, token: string | null) =>
  documentAccessOf(signedInUser(), documentId, token),
);
