// Sends one image file to the document's upload route (POST /api/documents/<id>/images) with
// XMLHttpRequest, the browser API that reports upload progress (fetch cannot yet). The
// server decides everything (type, size, role); its `{ error: { message } }` is what the
// person reads when it refuses.
import { imageUploadUrl } from "@/lib/images/imageUrl";

/** Where the uploaded image now lives: its node's src. */
export interface UploadedImage {
  id: string;
  src: string;
}

/** The server's message when it answered with one, else a status-based sentence. */
function failureMessage(request: XMLHttpRequest): string {
  try {
    const message = (JSON.parse(request.responseText) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === "string" && message !== "") return message;
  } catch {
    // not our JSON (a proxy's error page): fall through
  }
  return `The server answered ${request.status}${request.statusText ? ` ${request.statusText}` : ""}.`;
}

/** Uploads `file`; `onProgress` gets the fraction sent (0..1). Rejects with an Error whose
 *  message can be shown as it is. */
export function uploadImage(documentId: string, token: string | null, file: File, onProgress: (fraction: number) => void): Promise<UploadedImage> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", imageUploadUrl(documentId));
    if (token) request.setRequestHeader("x-share-token", token);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status !== 201) {
        reject(new Error(failureMessage(request)));
        return;
      }
      try {
        const { id, src } = JSON.parse(request.responseText) as UploadedImage;
        resolve({ id, src });
      } catch {
        reject(new Error("The server's answer could not be read."));
      }
    };
    request.onerror = () => reject(new Error("The connection was lost during the upload. Check the network and try again."));
    request.onabort = () => reject(new Error("The upload was cancelled."));
    request.send(file);
  });
}
