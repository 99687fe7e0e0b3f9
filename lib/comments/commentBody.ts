// A comment's body is plain text; on screen, web addresses become links and "@Name" of a
// mentioned account is marked. This splits a body into those pieces, for rendering as text
// nodes and <a> elements (never as HTML), so nothing in a body can inject markup.

import type { MentionJson } from "./commentModel.ts";

export type BodyPart = { kind: "text"; text: string } | { kind: "link"; text: string; href: string } | { kind: "mention"; text: string; userId: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+/gi;
/** Punctuation that ends a sentence rather than the address it follows. */
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"]+$/;

/** Splits `body` into text, links (http and https only) and mentions of `mentions`' names. */
export function parseCommentBody(body: string, mentions: readonly MentionJson[] = []): BodyPart[] {
  const marks: { start: number; end: number; part: BodyPart }[] = [];
  for (const match of body.matchAll(URL_PATTERN)) {
    const text = match[0].replace(TRAILING_PUNCTUATION, "");
    let href: string;
    try {
      href = new URL(text).href;
    } catch {
      continue;
    }
    marks.push({ start: match.index, end: match.index + text.length, part: { kind: "link", text, href } });
  }
  // Longest names first, so "@Ann Lee" wins over "@Ann".
  for (const mention of [...mentions].sort((a, b) => b.name.length - a.name.length)) {
    const needle = `@${mention.name}`;
    for (let at = body.indexOf(needle); at >= 0; at = body.indexOf(needle, at + needle.length)) {
      const end = at + needle.length;
      if (marks.some((m) => at < m.end && end > m.start)) continue;
      marks.push({ start: at, end, part: { kind: "mention", text: needle, userId: mention.userId } });
    }
  }
  marks.sort((a, b) => a.start - b.start);
  const parts: BodyPart[] = [];
  let position = 0;
  for (const mark of marks) {
    if (mark.start < position) continue;
    if (mark.start > position) parts.push({ kind: "text", text: body.slice(position, mark.start) });
    parts.push(mark.part);
    position = mark.end;
  }
  if (position < body.length) parts.push({ kind: "text", text: body.slice(position) });
  return parts;
}
