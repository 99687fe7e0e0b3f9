// GET /api/documents/<id>/images/<imageId>: an image of the document, to whoever may open the
// document (any role, by account or share link: x-share-token or ?token=), 410 while it is in
// Trash. Served with its sniffed type, nosniff, an inline disposition and a private cache
// validated by its SHA-256 (server/images/imageHttp.ts).
import { isValidImageId } from "@/lib/images/imageUrl";
import { errorResponse } from "@/server/documents/documentHttp";
import { anyRole, withDocument } from "@/server/documents/withDocument";
import { imageResponse } from "@/server/images/imageHttp";
import { findImage } from "@/server/images/imageRepository";

export const GET = withDocument<{ imageId: string }>(
  anyRole,
  { withShareToken: true, operation: "image load" },
  async ({ request, id, params: { imageId }, context }) => {
    if (!isValidImageId(imageId)) return errorResponse("invalid_id", "Invalid image id.");
    const image = await findImage(context.sql, id, imageId);
    if (!image) return errorResponse("not_found", "This document has no such image.");
    return imageResponse(request, image);
  },
);
