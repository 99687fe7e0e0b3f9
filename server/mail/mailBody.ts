// The body of every mail the app sends: a few paragraphs and one link, as plain text and as
// simple HTML. Everything that came from a person (names, titles) is escaped here, so no
// mail can carry someone's markup.

export interface MailContent {
  /** Plain sentences; each becomes a paragraph. */
  paragraphs: string[];
  /** The one thing to click, shown as a button and written out in full. */
  action: { label: string; url: string };
  /** Small print after the link (why you got this, what to do if it was not you). */
  footer?: string[];
}

export interface MailBody {
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);
}

/** Control characters (new lines included) out of one-line values such as subjects and names. */
export function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").trim();
}

export function composeMail({ paragraphs, action, footer = [] }: MailContent): MailBody {
  const url = new URL(action.url);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`mail links are http(s) only, got ${url.protocol}`);
  const text = [...paragraphs, `${action.label}: ${url.href}`, ...footer].join("\n\n") + "\n";
  const paragraph = (value: string, style = "") => `<p${style}>${escapeHtml(value)}</p>`;
  const html = [
    "<!doctype html>",
    '<html><body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a;">',
    ...paragraphs.map((value) => paragraph(value)),
    `<p><a href="${escapeHtml(url.href)}" style="display: inline-block; padding: 8px 16px; background: #1d4ed8; color: #ffffff; text-decoration: none; border-radius: 4px;">${escapeHtml(action.label)}</a></p>`,
    paragraph(`Or open this address: ${url.href}`, ' style="font-size: 13px; color: #555555;"'),
    ...footer.map((value) => paragraph(value, ' style="font-size: 13px; color: #555555;"')),
    "</body></html>",
  ].join("\n");
  return { text, html };
}
