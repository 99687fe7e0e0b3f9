// SMTP_URL and MAIL_FROM: email is optional. Unset, the app shows links to copy instead of
// mailing them; set, both are checked at start-up (a malformed value stops the process with a
// message naming the variable). Whether the server at SMTP_URL answers is not checked here: a
// wrong host or password is logged and shown to admins when mail fails, never a crash.
import { ConfigError } from "../ConfigError.ts";

export interface MailConfig {
  /** smtp://user:pass@host:port or smtps://… (implicit TLS), as nodemailer takes it. */
  smtpUrl: string;
  /** The From header: `address@example.com` or `Name <address@example.com>`. */
  from: string;
}

type Env = Record<string, string | undefined>;

const SMTP_PROTOCOLS = ["smtp:", "smtps:"];
const ADDRESS = /^[^\s@<>",]+@[^\s@<>",]+\.[^\s@<>",]+$/;
/** `Name <address>`: the name without characters that would end or break the header. */
const NAMED_ADDRESS = /^([^<>"\r\n]*[^\s<>"\r\n])\s*<([^<>]+)>$/;

function smtpUrlOf(raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError("SMTP_URL", "not a valid URL (expected smtp://user:password@host:587 or smtps://…)");
  }
  if (!SMTP_PROTOCOLS.includes(parsed.protocol)) {
    throw new ConfigError("SMTP_URL", `expected an smtp: or smtps: URL, got ${parsed.protocol}`);
  }
  if (parsed.hostname === "") throw new ConfigError("SMTP_URL", "no host name");
  return raw;
}

function fromOf(raw: string): string {
  const value = raw.trim();
  const named = NAMED_ADDRESS.exec(value);
  const address = named ? named[2].trim() : value;
  if (!ADDRESS.test(address)) {
    throw new ConfigError("MAIL_FROM", `expected an address such as "Collab <docs@example.com>", got "${raw}"`);
  }
  return value;
}

/** The mail settings, or null when email is off (SMTP_URL unset). */
export function mailConfigOf(env: Env): MailConfig | null {
  const smtpUrl = env.SMTP_URL?.trim() || undefined;
  const from = env.MAIL_FROM?.trim() || undefined;
  if (smtpUrl === undefined) {
    // Half a configuration is a mistake someone would otherwise find only when no mail comes.
    if (from !== undefined) throw new ConfigError("MAIL_FROM", "is set but SMTP_URL is not: set SMTP_URL too, or unset MAIL_FROM");
    return null;
  }
  const url = smtpUrlOf(smtpUrl);
  if (from === undefined) throw new ConfigError("MAIL_FROM", "is required when SMTP_URL is set (e.g. \"Collab <docs@example.com>\")");
  return { smtpUrl: url, from: fromOf(from) };
}

/** SMTP_URL without its password, for logs and the admin page. */
export function describeSmtpUrl(smtpUrl: string): string {
  const parsed = new URL(smtpUrl);
  return `${parsed.protocol}//${parsed.username ? `${decodeURIComponent(parsed.username)}@` : ""}${parsed.host}`;
}
