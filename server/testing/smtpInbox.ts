// A real SMTP server in the test process (smtp-server) on a free port of 127.0.0.1: the app
// under test mails through it, and tests read what was delivered (parsed by mailparser).
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";

export interface DeliveredMail {
  /** Envelope recipients (RCPT TO), lower case. */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
}

export interface SmtpInbox {
  /** smtp://127.0.0.1:<port>: the SMTP_URL to give the app. */
  url: string;
  port: number;
  /** Every mail delivered so far, in order of arrival. */
  readonly mails: DeliveredMail[];
  /** The first mail to `address` delivered after the first `since` mails (waiting for it, up to
   *  `timeoutMs`). */
  mailTo(address: string, options?: { since?: number; timeoutMs?: number }): Promise<DeliveredMail>;
  close(): Promise<void>;
}

/** The first http(s) URL in a mail's text whose path is `pathname`. */
export function linkIn(mail: DeliveredMail, pathname: string): URL {
  for (const match of mail.text.matchAll(/https?:\/\/\S+/g)) {
    const url = new URL(match[0]);
    if (url.pathname === pathname) return url;
  }
  throw new Error(`no link to ${pathname} in the mail:\n${mail.text}`);
}

export async function startSmtpInbox(): Promise<SmtpInbox> {
  const mails: DeliveredMail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    // Plain SMTP on loopback, no login: what a local relay looks like.
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          mails.push({
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
          });
          for (const wake of waiters) wake();
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  const find = (address: string, since: number) => mails.slice(since).find((mail) => mail.to.includes(address.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    mailTo(address, { since = 0, timeoutMs = 15_000 } = {}) {
      const found = find(address, since);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no mail to ${address} within ${timeoutMs} ms (delivered: ${mails.map((m) => m.to.join(",")).join("; ") || "none"})`));
        }, timeoutMs);
        function check() {
          const mail = find(address, since);
          if (!mail) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(mail);
        }
        waiters.add(check);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
