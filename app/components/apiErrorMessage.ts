// Reads the `{ error: { code, message } }` body of a failed API response as a human message.

/** The API's message for a failed response, or a generic one naming the status. */
export async function apiErrorMessage(response: Response): Promise<string> {
  try {
    // Ours: { error: { code, message } }; Better Auth's (/api/auth/*): { code, message }.
    const body = (await response.json()) as { error?: { message?: unknown }; message?: unknown };
    if (typeof body.error?.message === "string") return body.error.message;
    if (typeof body.message === "string") return body.message;
  } catch {
    // Not JSON (a proxy error page, say): fall through.
  }
  return `Request failed (${response.status}).`;
}
