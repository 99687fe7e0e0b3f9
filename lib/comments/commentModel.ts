// Comments as every side sees them (README "Comments"): the JSON of a thread, the requests a
// client makes, and the rules for a comment's body. Shared by the server (which enforces them)
// and the browser (which only reflects them).

/** Longest comment body, in UTF-16 code units (what a textarea's maxLength counts). */
export const MAX_COMMENT_CHARS = 5_000;
/** The quoted text kept with a thread is cut to this many characters. */
export const MAX_QUOTE_CHARS = 500;
/** Mentions kept per comment (more are ignored). */
export const MAX_MENTIONS = 20;

export interface CommentJson {
  id: string;
  authorId: string;
  authorName: string;
  body: string;
  /** Accounts mentioned in the body, with the names written there as "@Name". */
  mentions: MentionJson[];
  createdAt: string;
  editedAt: string | null;
}

export interface MentionJson {
  userId: string;
  name: string;
}

export interface ThreadJson {
  id: string;
  documentId: string;
  /** Base64 of Y.encodeRelativePosition, start and end of the anchored range. */
  anchor: { start: string; end: string };
  quote: string;
  resolved: { at: string; byId: string; byName: string } | null;
  /** True once its first comment was deleted: clients drop it. */
  deleted: boolean;
  /** Higher is newer: of two copies of a thread, keep the higher version. */
  version: number;
  createdAt: string;
  comments: CommentJson[];
}

/** What a client asks for, on the socket (COMMENT frames) or through the HTTP API. */
export type CommentRequest =
  | { op: "create"; anchor: { start: string; end: string }; quote: string; body: string; mentions?: string[] }
  | { op: "reply"; threadId: string; body: string; mentions?: string[] }
  | { op: "edit"; threadId: string; commentId: string; body: string; mentions?: string[] }
  | { op: "delete"; threadId: string; commentId: string }
  | { op: "resolve"; threadId: string }
  | { op: "reopen"; threadId: string };

export type CommentErrorCode = "bad_request" | "forbidden" | "not_found" | "gone" | "too_large" | "unavailable";

export interface CommentError {
  code: CommentErrorCode;
  message: string;
}

/** The answer to a request: the thread as it now is (and the comment made or changed, if any). */
export type CommentResult = { ok: true; thread: ThreadJson; commentId?: string } | { ok: false; error: CommentError };

/** Why `body` cannot be a comment, or null when it can. Plain text: line breaks and tabs are
 *  kept, other control characters (NUL breaks PostgreSQL) are not. */
export function commentBodyProblem(body: unknown): CommentError | null {
  if (typeof body !== "string") return { code: "bad_request", message: "A comment needs a body (text)." };
  if (body.length > MAX_COMMENT_CHARS) {
    return { code: "too_large", message: `A comment is at most ${MAX_COMMENT_CHARS.toLocaleString("en")} characters (this one has ${body.length.toLocaleString("en")}).` };
  }
  if (body.trim() === "") return { code: "bad_request", message: "A comment cannot be empty." };
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(body) || /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(body)) {
    return { code: "bad_request", message: "A comment must not contain control characters." };
  }
  return null;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/]{1,2000}={0,2}$/;

/** Reads an untrusted request (parsed JSON); an error says what is wrong with it. */
export function parseCommentRequest(value: unknown): { ok: true; request: CommentRequest } | { ok: false; error: CommentError } {
  const bad = (message: string) => ({ ok: false as const, error: { code: "bad_request" as const, message } });
  if (typeof value !== "object" || value === null || Array.isArray(value)) return bad("A comment request is a JSON object.");
  const v = value as Record<string, unknown>;
  const id = (key: string): string | null => (typeof v[key] === "string" && ID_PATTERN.test(v[key] as string) ? (v[key] as string) : null);
  const mentions = (): string[] | undefined | null => {
    if (v.mentions === undefined) return undefined;
    if (!Array.isArray(v.mentions) || !v.mentions.every((m) => typeof m === "string" && ID_PATTERN.test(m))) return null;
    return [...new Set(v.mentions as string[])].slice(0, MAX_MENTIONS);
  };
  const withBody = <T extends object>(request: T): { ok: true; request: CommentRequest } | { ok: false; error: CommentError } => {
    const problem = commentBodyProblem(v.body);
    if (problem) return { ok: false, error: problem };
    const m = mentions();
    if (m === null) return bad("mentions must be a list of account ids.");
    return { ok: true, request: { ...request, body: v.body as string, ...(m ? { mentions: m } : {}) } as unknown as CommentRequest };
  };
  const threadId = id("threadId");
  switch (v.op) {
    case "create": {
      const anchor = v.anchor as Record<string, unknown> | undefined;
      if (typeof anchor !== "object" || anchor === null || typeof anchor.start !== "string" || typeof anchor.end !== "string" || !BASE64_PATTERN.test(anchor.start) || !BASE64_PATTERN.test(anchor.end)) {
        return bad("A new comment needs an anchor: {start, end}, encoded Yjs relative positions in base64.");
      }
      if (typeof v.quote !== "string") return bad("A new comment needs the quoted text (quote).");
      return withBody({ op: "create", anchor: { start: anchor.start, end: anchor.end }, quote: cleanQuote(v.quote) });
    }
    case "reply":
      if (!threadId) return bad("A reply needs a valid threadId.");
      return withBody({ op: "reply", threadId });
    case "edit": {
      const commentId = id("commentId");
      if (!threadId || !commentId) return bad("An edit needs a valid threadId and commentId.");
      return withBody({ op: "edit", threadId, commentId });
    }
    case "delete": {
      const commentId = id("commentId");
      if (!threadId || !commentId) return bad("A delete needs a valid threadId and commentId.");
      return { ok: true, request: { op: "delete", threadId, commentId } };
    }
    case "resolve":
    case "reopen":
      if (!threadId) return bad(`${v.op} needs a valid threadId.`);
      return { ok: true, request: { op: v.op, threadId } };
    default:
      return bad("op must be create, reply, edit, delete, resolve or reopen.");
  }
}

/** The quoted text as stored: one line of plain text, bounded. */
export function cleanQuote(quote: string): string {
  return quote.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").slice(0, MAX_QUOTE_CHARS);
}
