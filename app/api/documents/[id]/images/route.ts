// POST /api/documents/<id>/images: uploads an image into the document (editors and owners,
// by account or share link), 201 {id, src, contentType, byteSize}; the client then puts an
// image node with that src into the document. The body is the image's bytes (any
// Content-Type: the type is sniffed from the bytes; PNG, JPEG, GIF or WebP). Up to
// MAX_UPLOAD_BYTES, the only route allowed past the 1 MiB body limit (server/http/limitRequestBody.ts).
import { canEdit } from "@/lib/access/roles";
import { imageUrl } from "@/lib/images/imageUrl";
import { maxUploadBytesOf } from "@/server/config";
import { errorResponse, jsonResponse } from "@/server/documents/documentHttp";
import { withDocument } from "@/server/documents/withDocument";
import { readUploadBody, unsupportedImage, uploadedImageJson } from "@/server/images/imageHttp";
import { imageUploadLimiter, uploadBudgetKey } from "@/server/images/imageUploadLimits";
import { storeImage } from "@/server/images/imageRepository";
import { sniffImageType } from "@/server/images/sniffImageType";

export const POST = withDocument(canEdit, { mutation: true, withShareToken: true, operation: "image upload" }, async ({ request, id, access, context }) => {
  // Before the body is read: a refused upload costs no memory.
  const admitted = imageUploadLimiter().take(uploadBudgetKey(access));
  if (!admitted.ok) {
    return errorResponse("rate_limited", `Too many images uploaded in a short time; try again in ${admitted.retryAfterSeconds} s.`, admitted.retryAfterSeconds);
  }
  const body = await readUploadBody(request, maxUploadBytesOf());
  if (!body.ok) return body.response;
  const type = sniffImageType(body.bytes);
  if ("refused" in type) return unsupportedImage(type);
  const image = await storeImage(context.sql, { documentId: id, uploaderId: access.user?.id ?? null, type, bytes: body.bytes });
  // Deleted for good between the access check and the insert.
  if (!image) return errorResponse("not_found", "The document no longer exists.");
  const src = imageUrl(id, image.id);
  const response = jsonResponse(uploadedImageJson(image, src), 201);
  response.headers.set("location", src);
  return response;
});
