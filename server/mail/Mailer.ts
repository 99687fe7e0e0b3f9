// The one way the app sends mail (invitations, password resets). A failure is never thrown:
// it is logged with its reason and returned, so the caller keeps what the mail was about (the
// invitation exists, its link is shown to copy) and says why nothing was sent. The latest
// failure is kept for the admin area.
import nodemailer from "nodemailer";
import type { Logger } from "../log.ts";
import { describeSmtpUrl, type MailConfig } from "./mailConfig.ts";
import { oneLine, type MailBody } from "./mailBody.ts";

export interface MailMessage {
  to: string;
  subject: string;
  body: MailBody;
  /** What the mail is (logged, never its content): "invitation", "password-reset"… */
  kind: string;
}

export type MailOutcome = { sent: true } | { sent: false; reason: string };

export interface MailStatus {
  enabled: boolean;
  /** SMTP_URL without its password; null when email is off. */
  server: string | null;
  from: string | null;
  lastFailure: { at: string; reason: string } | null;
}

/** Bounds on one SMTP exchange: an unreachable host must not hold an admin's request (or a
 *  password reset) for nodemailer's default two minutes. */
export const SMTP_CONNECTION_TIMEOUT_MS = 10_000;
export const SMTP_GREETING_TIMEOUT_MS = 10_000;
export const SMTP_SOCKET_TIMEOUT_MS = 20_000;
/** Longest failure reason kept and shown. */
const REASON_MAX_CHARS = 300;

export const MAIL_OFF_REASON = "Email is not configured on this server (SMTP_URL).";

type Transport = ReturnType<typeof nodemailer.createTransport>;

export class Mailer {
  private readonly transport: Transport | null;
  private lastFailure: MailStatus["lastFailure"] = null;

  constructor(
    private readonly config: MailConfig | null,
    private readonly log: Logger,
  ) {
    this.transport = config
      ? nodemailer.createTransport(
          {
            url: config.smtpUrl,
            connectionTimeout: SMTP_CONNECTION_TIMEOUT_MS,
            greetingTimeout: SMTP_GREETING_TIMEOUT_MS,
            socketTimeout: SMTP_SOCKET_TIMEOUT_MS,
          },
          { from: config.from },
        )
      : null;
  }

  /** Whether mail is configured (SMTP_URL set); when not, callers show links to copy. */
  get enabled(): boolean {
    return this.transport !== null;
  }

  async send(message: MailMessage): Promise<MailOutcome> {
    if (!this.transport) return { sent: false, reason: MAIL_OFF_REASON };
    try {
      await this.transport.sendMail({
        to: message.to,
        subject: oneLine(message.subject),
        text: message.body.text,
        html: message.body.html,
      });
      this.log.info("mail sent", { kind: message.kind });
      return { sent: true };
    } catch (error) {
      const reason = failureReason(error);
      this.lastFailure = { at: new Date().toISOString(), reason };
      this.log.error("mail not sent", { kind: message.kind, reason, server: this.serverName() });
      return { sent: false, reason };
    }
  }

  /** Asks the SMTP server for a session (connect, greeting, login) without sending, so a wrong
   *  SMTP_URL shows in the log at start-up rather than at the first invitation. Never throws. */
  async check(): Promise<MailOutcome> {
    if (!this.transport) return { sent: false, reason: MAIL_OFF_REASON };
    try {
      await this.transport.verify();
      this.log.info("mail server reachable", { server: this.serverName() });
      return { sent: true };
    } catch (error) {
      const reason = failureReason(error);
      this.lastFailure = { at: new Date().toISOString(), reason };
      this.log.error("mail server check failed: mail will not be delivered until SMTP_URL is fixed", { reason, server: this.serverName() });
      return { sent: false, reason };
    }
  }

  status(): MailStatus {
    return { enabled: this.enabled, server: this.serverName(), from: this.config?.from ?? null, lastFailure: this.lastFailure };
  }

  close(): void {
    this.transport?.close();
  }

  private serverName(): string | null {
    return this.config ? describeSmtpUrl(this.config.smtpUrl) : null;
  }
}

function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = oneLine(message) || "unknown error";
  return reason.length > REASON_MAX_CHARS ? `${reason.slice(0, REASON_MAX_CHARS - 1)}…` : reason;
}
