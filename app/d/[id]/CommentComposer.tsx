"use client";
// A comment box: plain text up to 5,000 characters, and `@` suggesting people who can open the
// document first (GET /api/documents/<id>/mentions). Arrow Down moves from the box into the
// suggestions; choosing one writes "@Name" and records the mention. Someone without access is
// marked "no access": choosing them offers an owner to share the document, others to ask one.
import { useEffect, useId, useRef, useState } from "react";
import { MAX_COMMENT_CHARS, type MentionJson } from "@/lib/comments/commentModel";
import styles from "./Comments.module.css";

interface Candidate {
  userId: string;
  name: string;
  hasAccess: boolean;
}

interface Props {
  documentId: string;
  token: string | null;
  label: string;
  submitLabel: string;
  initialBody?: string;
  initialMentions?: MentionJson[];
  autoFocus?: boolean;
  onSubmit: (body: string, mentions: MentionJson[]) => Promise<string | null>;
  onCancel?: () => void;
  testId: string;
}

export function CommentComposer({ documentId, token, label, submitLabel, initialBody = "", initialMentions = [], autoFocus, onSubmit, onCancel, testId }: Props) {
  const [body, setBody] = useState(initialBody);
  const [mentions, setMentions] = useState<MentionJson[]>(initialMentions);
  const [candidates, setCandidates] = useState<Candidate[]>([]);
  const [shareOffer, setShareOffer] = useState<Candidate | null>(null);
  const [mayShare, setMayShare] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const id = useId();
  const query = mentionQuery(body, textarea.current?.selectionStart ?? body.length);

  useEffect(() => {
    if (query === null) {
      setCandidates([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/documents/${encodeURIComponent(documentId)}/mentions?q=${encodeURIComponent(query)}`, {
        headers: token ? { "x-share-token": token } : {},
        signal: controller.signal,
      })
        .then((response) => (response.ok ? response.json() : { candidates: [], canShare: false }))
        .then((answer: { candidates: Candidate[]; canShare: boolean }) => {
          setCandidates(answer.candidates);
          setMayShare(answer.canShare);
        })
        .catch(() => undefined);
    }, 120);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, documentId, token]);

  function choose(candidate: Candidate) {
    const caret = textarea.current?.selectionStart ?? body.length;
    const start = body.lastIndexOf("@", caret - 1);
    const next = `${body.slice(0, start)}@${candidate.name} ${body.slice(caret)}`;
    setBody(next);
    setMentions((known) => (known.some((m) => m.userId === candidate.userId) ? known : [...known, { userId: candidate.userId, name: candidate.name }]));
    setCandidates([]);
    if (!candidate.hasAccess) setShareOffer(candidate);
    requestAnimationFrame(() => {
      const position = start + candidate.name.length + 2;
      textarea.current?.focus();
      textarea.current?.setSelectionRange(position, position);
    });
  }

  async function share(candidate: Candidate) {
    const response = await fetch(`/api/documents/${encodeURIComponent(documentId)}/members`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: candidate.userId, role: "commenter" }),
    });
    setShareOffer(null);
    setError(response.ok ? null : `Could not share with ${candidate.name}.`);
  }

  async function submit() {
    if (busy || body.trim() === "") return;
    setBusy(true);
    const problem = await onSubmit(body, mentions.filter((m) => body.includes(`@${m.name}`)));
    setBusy(false);
    setError(problem);
    if (problem === null) {
      setBody("");
      setMentions([]);
    }
  }

  return (
    <form
      className={styles.composer}
      data-testid={testId}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label htmlFor={`${id}-text`} className="visually-hidden">
        {label}
      </label>
      <textarea
        id={`${id}-text`}
        ref={textarea}
        value={body}
        placeholder={`${label} (@ to mention)`}
        maxLength={MAX_COMMENT_CHARS}
        rows={2}
        autoFocus={autoFocus}
        aria-describedby={candidates.length > 0 ? `${id}-people` : undefined}
        data-testid={`${testId}-text`}
        onChange={(event) => setBody(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown" && candidates.length > 0) {
            event.preventDefault();
            list.current?.querySelector("button")?.focus();
          } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void submit();
          } else if (event.key === "Escape" && onCancel) {
            event.preventDefault();
            onCancel();
          }
        }}
      />
      {candidates.length > 0 && (
        <ul ref={list} id={`${id}-people`} className={styles.people} aria-label="People to mention" data-testid="mention-suggestions">
          {candidates.map((candidate) => (
            <li key={candidate.userId}>
              <button
                type="button"
                className={styles.person}
                data-testid="mention-suggestion"
                onClick={() => choose(candidate)}
                onKeyDown={(event) => {
                  const items = [...(list.current?.querySelectorAll("button") ?? [])];
                  const index = items.indexOf(event.currentTarget);
                  if (event.key === "ArrowDown") items[Math.min(index + 1, items.length - 1)]?.focus();
                  else if (event.key === "ArrowUp") (index === 0 ? textarea.current : items[index - 1])?.focus();
                  else if (event.key === "Escape") textarea.current?.focus();
                  else return;
                  event.preventDefault();
                }}
              >
                {candidate.name}
                {!candidate.hasAccess && <span className={styles.muted}> — no access</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      {shareOffer && (
        <p className={styles.offer} data-testid="mention-share-offer">
          {shareOffer.name} cannot open this document.{" "}
          {mayShare ? (
            <>
              <button type="button" className="button" onClick={() => void share(shareOffer)}>
                Share (can comment)
              </button>{" "}
              <button type="button" className="button" onClick={() => setShareOffer(null)}>
                Not now
              </button>
            </>
          ) : (
            <>
              Ask an owner to share it with them.{" "}
              <button type="button" className="button" onClick={() => setShareOffer(null)}>
                OK
              </button>
            </>
          )}
        </p>
      )}
      {error && (
        <p className={`${styles.error} error-text`} role="alert" data-testid={`${testId}-error`}>
          {error}
        </p>
      )}
      <div className={styles.actions}>
        <button type="submit" className="button primary" disabled={busy || body.trim() === ""} data-testid={`${testId}-submit`}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** The word after an `@` the caret is in ("" right after the @), or null when not in a mention. */
function mentionQuery(body: string, caret: number): string | null {
  const before = body.slice(0, caret);
  const match = /(?:^|\s)@([^\s@]{0,30})$/.exec(before);
  return match ? match[1] : null;
}
