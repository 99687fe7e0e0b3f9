"use client";
// The comments sidebar: a new thread's box (for the selected text), then the open or the
// resolved threads. Everything comes from and goes to the collab socket (LiveComments); the
// server checks every request, the buttons only reflect the role.
import { useState } from "react";
import type { Role } from "@/lib/access/roles";
import type { CommentRequest, ThreadJson } from "@/lib/comments/commentModel";
import type { CommentRanges } from "@/lib/editor/commentHighlights";
import { CommentComposer } from "./CommentComposer";
import { CommentThreadCard } from "./CommentThreadCard";
import type { CollabSession } from "./collabSession";
import styles from "./Comments.module.css";

export interface CommentDraft {
  start: string;
  end: string;
  quote: string;
}

interface Props {
  session: CollabSession;
  threads: ThreadJson[];
  ranges: CommentRanges;
  role: Role;
  token: string | null;
  draft: CommentDraft | null;
  activeId: string | null;
  showResolved: boolean;
  onShowResolved: (show: boolean) => void;
  onDraftDone: (threadId: string | null) => void;
  onShowInText: (threadId: string) => void;
  /** This person's account id (null for a guest: learned from their first comment). */
  accountId: string | null;
}

export function CommentsPanel(props: Props) {
  const { session, threads, ranges, role, token, draft, activeId, showResolved } = props;
  const [, rerender] = useState(0);
  const open = threads.filter((t) => !t.resolved);
  const resolved = threads.filter((t) => t.resolved);
  const shown = showResolved ? resolved : open;
  const isMine = (authorId: string) => authorId === props.accountId || session.comments.ownAuthorIds.has(authorId);
  const send = async (request: CommentRequest): Promise<string | null> => {
    const result = await session.comments.request(request);
    rerender((n) => n + 1);
    return result.ok ? null : result.error.message;
  };

  return (
    <aside className={`side-panel ${styles.panel}`} aria-labelledby="comments-heading" data-testid="comments-panel">
      <h2 id="comments-heading" className={styles.heading}>
        Comments
      </h2>
      {draft && (
        <div className={styles.draft}>
          <p className={styles.muted}>
            On “<span data-testid="comment-draft-quote">{draft.quote.length > 80 ? `${draft.quote.slice(0, 80)}…` : draft.quote}</span>”
          </p>
          <CommentComposer
            documentId={session.documentId}
            token={token}
            label="New comment"
            submitLabel="Comment"
            autoFocus
            testId="comment-new"
            onCancel={() => props.onDraftDone(null)}
            onSubmit={async (body, mentions) => {
              const result = await session.comments.request({ op: "create", anchor: { start: draft.start, end: draft.end }, quote: draft.quote, body, mentions: mentions.map((m) => m.userId) });
              if (!result.ok) return result.error.message;
              props.onDraftDone(result.thread.id);
              return null;
            }}
          />
        </div>
      )}
      <div className={styles.filters} role="group" aria-label="Which threads">
        <button type="button" className="button" aria-pressed={!showResolved} onClick={() => props.onShowResolved(false)} data-testid="comments-show-open">
          Open ({open.length})
        </button>
        <button type="button" className="button" aria-pressed={showResolved} onClick={() => props.onShowResolved(true)} data-testid="comments-show-resolved">
          Resolved ({resolved.length})
        </button>
      </div>
      {shown.length === 0 ? (
        <p className={styles.muted} data-testid="comments-empty">
          {showResolved ? "No resolved threads." : "No open comments. Select text, then press Comment."}
        </p>
      ) : (
        <ul className={styles.threads}>
          {shown.map((thread) => (
            <CommentThreadCard
              key={thread.id}
              thread={thread}
              role={role}
              detached={ranges.has(thread.id) && ranges.get(thread.id) === null}
              active={thread.id === activeId}
              isMine={isMine}
              documentId={session.documentId}
              token={token}
              send={send}
              onShowInText={() => props.onShowInText(thread.id)}
            />
          ))}
        </ul>
      )}
    </aside>
  );
}
