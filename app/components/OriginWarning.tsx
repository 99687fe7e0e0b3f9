// On the sign-in and sign-up pages: when the browser reached the server at an address other
// than PUBLIC_URL, every sign-in will be refused, so say so before the user tries, with the fix.
import { headers } from "next/headers";
import { getAccessContext } from "@/server/access/accessContext";
import { isForeignHost, originMismatchMessage } from "@/server/http/originMismatch";

export async function OriginWarning() {
  const requestHeaders = await headers();
  const host = requestHeaders.get("host");
  const { allowedOrigins, publicUrl } = getAccessContext();
  if (!isForeignHost(host, allowedOrigins)) return null;
  // Behind a TLS proxy the scheme the browser used is in X-Forwarded-Proto.
  const scheme = requestHeaders.get("x-forwarded-proto")?.split(",")[0]?.trim() || new URL(publicUrl).protocol.replace(":", "");
  return (
    <p className="error-text" role="alert" data-testid="origin-warning">
      {originMismatchMessage(`${scheme}://${host}`, publicUrl)}
    </p>
  );
}
