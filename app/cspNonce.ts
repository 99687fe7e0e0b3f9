// This response's script nonce, for the few inline scripts the app renders itself (the theme's
// boot script). proxy.ts puts the response's Content-Security-Policy on the request too, which
// is where Next finds the same nonce for its own scripts.
import { headers } from "next/headers";

export async function cspNonce(): Promise<string | undefined> {
  const policy = (await headers()).get("content-security-policy") ?? "";
  return /'nonce-([^']+)'/.exec(policy)?.[1];
}
