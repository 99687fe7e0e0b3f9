// The words for an upload's size limit, shared by the route and by the body limit that
// refuses a too-large upload before any handler runs (server/http/limitRequestBody.ts): the
// browser shows this message as it is.

/** `bytes` for people: "10 MiB", "512 KiB", "900 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/** Why an upload past `maxBytes` is refused (413). */
export function imageTooLargeMessage(maxBytes: number): string {
  return `The image is larger than ${formatBytes(maxBytes)}, the most this server accepts (MAX_UPLOAD_BYTES).`;
}
