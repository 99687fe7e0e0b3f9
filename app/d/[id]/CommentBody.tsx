"use client";
// A comment's text on screen: plain text, with web addresses as links (opened in a new tab,
// without referrer or opener) and mentions marked. Built from text nodes, never from HTML.
import { parseCommentBody } from "@/lib/comments/commentBody";
import type { MentionJson } from "@/lib/comments/commentModel";
import styles from "./Comments.module.css";

export function CommentBody({ body, mentions }: { body: string; mentions: MentionJson[] }) {
  return (
    <p className={styles.body} data-testid="comment-body">
      {parseCommentBody(body, mentions).map((part, index) =>
        part.kind === "link" ? (
          <a key={index} href={part.href} target="_blank" rel="noopener noreferrer nofollow">
            {part.text}
          </a>
        ) : part.kind === "mention" ? (
          <span key={index} className={styles.mention} data-testid="comment-mention">
            {part.text}
          </span>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </p>
  );
}
