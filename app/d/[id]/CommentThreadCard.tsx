"use client";
// One thread in the comments sidebar: the text it is about (or "detached" when that text was
// deleted), its comments with edit and delete for their author, a reply box, resolve/reopen.
import { useState } from "react";
import type { Role } from "@/lib/access/roles";
import type { CommentJson, CommentRequest, MentionJson, ThreadJson } from "@/lib/comments/commentModel";
import { canChangeComment, canComment, canResolve } from "@/lib/comments/commentPermissions";
import { LocalTime } from "@/app/components/LocalTime";
import { CommentBody } from "./CommentBody";
import { CommentComposer } from "./CommentComposer";
import styles from "./Comments.module.css";

interface Props {
  thread: ThreadJson;
  role: Role;
  detached: boolean;
  active: boolean;
  isMine: (authorId: string) => boolean;
  documentId: string;
  token: string | null;
  send: (request: CommentRequest) => Promise<string | null>;
  onShowInText: () => void;
}

export function CommentThreadCard({ thread, role, detached, active, isMine, documentId, token, send, onShowInText }: Props) {
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const startedIt = isMine(thread.comments[0]?.authorId ?? "");
  const act = async (request: CommentRequest) => setError(await send(request));

  return (
    <li>
      <article
        id={`comment-${thread.id}`}
        tabIndex={-1}
        className={`${styles.thread}${active ? ` ${styles.active}` : ""}`}
        data-testid="comment-thread"
        data-thread-id={thread.id}
        data-detached={detached ? "true" : "false"}
        aria-label={`Comment thread on “${thread.quote}”`}
      >
        <div className={styles.quoteRow}>
          {detached ? (
            <span className={styles.detached} data-testid="thread-detached">
              Detached — the text was deleted:
            </span>
          ) : null}
          <button type="button" className={styles.quote} onClick={onShowInText} disabled={detached} data-testid="thread-quote" title={detached ? undefined : "Show in the text"}>
            “{thread.quote}”
          </button>
        </div>
        {thread.resolved && (
          <p className={styles.muted} data-testid="thread-resolved-by">
            Resolved by {thread.resolved.byName}
          </p>
        )}
        <ol className={styles.comments}>
          {thread.comments.map((comment) => (
            <li key={comment.id} className={styles.comment} data-testid="comment">
              {editing === comment.id ? (
                <CommentComposer
                  documentId={documentId}
                  token={token}
                  label="Edit comment"
                  submitLabel="Save"
                  initialBody={comment.body}
                  initialMentions={comment.mentions}
                  autoFocus
                  testId="comment-edit"
                  onCancel={() => setEditing(null)}
                  onSubmit={async (body, mentions) => {
                    const problem = await send({ op: "edit", threadId: thread.id, commentId: comment.id, body, mentions: mentions.map((m) => m.userId) });
                    if (problem === null) setEditing(null);
                    return problem;
                  }}
                />
              ) : (
                <CommentView comment={comment} mine={canChangeComment(role, isMine(comment.authorId))} onEdit={() => setEditing(comment.id)} onDelete={() => void act({ op: "delete", threadId: thread.id, commentId: comment.id })} />
              )}
            </li>
          ))}
        </ol>
        {error && (
          <p className="error-text" role="alert" data-testid="thread-error">
            {error}
          </p>
        )}
        {canComment(role) && !thread.resolved && (
          <CommentComposer
            documentId={documentId}
            token={token}
            label="Reply"
            submitLabel="Reply"
            testId="comment-reply"
            onSubmit={(body, mentions: MentionJson[]) => send({ op: "reply", threadId: thread.id, body, mentions: mentions.map((m) => m.userId) })}
          />
        )}
        {canResolve(role, startedIt) && (
          <button type="button" className="button" data-testid={thread.resolved ? "thread-reopen" : "thread-resolve"} onClick={() => void act({ op: thread.resolved ? "reopen" : "resolve", threadId: thread.id })}>
            {thread.resolved ? "Reopen" : "Resolve"}
          </button>
        )}
      </article>
    </li>
  );
}

function CommentView({ comment, mine, onEdit, onDelete }: { comment: CommentJson; mine: boolean; onEdit: () => void; onDelete: () => void }) {
  return (
    <>
      <p className={styles.meta}>
        <strong data-testid="comment-author">{comment.authorName}</strong> <LocalTime iso={comment.createdAt} />
        {comment.editedAt && <span className={styles.muted}> (edited)</span>}
      </p>
      <CommentBody body={comment.body} mentions={comment.mentions} />
      {mine && (
        <div className={styles.actions}>
          <button type="button" className={styles.link} onClick={onEdit} data-testid="comment-edit-button">
            Edit
          </button>
          <button type="button" className={styles.link} onClick={onDelete} data-testid="comment-delete-button">
            Delete
          </button>
        </div>
      )}
    </>
  );
}
