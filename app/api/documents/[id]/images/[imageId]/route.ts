// GET /api/documents/<id>/images/<imageId>: an image of the document, to whoever may open the
// document (any role, by account or share link: x-share-token or ?token=), 410 while it is in
// Trash. Served with its sniffed type, nosniff, an inline disposition and a private cache
// validated by its SHA-256 (server/images/imageHttp.ts).
import { isValidImageId } from "@/lib/images/imageUrl";
import { getDatabase } from "@/server/db/getDatabase";
import { errorResponse, guardDocumentRequest, storeUnavailable, type DocumentRouteContext } from "@/server/documents/documentHttp";
import { imageResponse } from "@/server/images/imageHttp";
import { findImage } from "@/server/images/imageRepository";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: DocumentRouteContext<{ imageId: string }>): Promise<Response> {
  const { id, imageId } = await params;
  const guard = await guardDocumentRequest(request, id, (role) => role !== null, { withShareToken: true });
  if (!guard.ok) return guard.response;
  if (!isValidImageId(imageId)) return errorResponse("invalid_id", "Invalid image id.");
  let image;
  try {
    image = await findImage((await getDatabase()).sql, id, imageId);
  } catch (error) {
    return storeUnavailable("image load", error);
  }
  if (!image) return errorResponse("not_found", "This document has no such image.");
  return imageResponse(request, image);
}
