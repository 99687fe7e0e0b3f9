"use client";
// The editor's layout with comments: the "Comment" and "Comments" buttons, the highlights of
// commented text in the editor (lib/editor/commentHighlights.ts) and the sidebar, which takes
// the outline's place while open. A link to #comment-<threadId> (notifications) opens it there.
import { useEffect, useState, type ReactNode } from "react";
import { useEditorState, type Editor } from "@tiptap/react";
import type { Role } from "@/lib/access/roles";
import { canComment } from "@/lib/comments/commentPermissions";
import { CommentHighlights, selectionAnchor, setCommentHighlights, type CommentRanges } from "@/lib/editor/commentHighlights";
import { CommentsPanel, type CommentDraft } from "./CommentsPanel";
import type { CollabSession } from "./collabSession";
import { useComments } from "./useComments";

/** The editor extension, and the handlers it calls (set by CommentSidebar once it renders). */
export interface CommentHighlightsBinding {
  extension: ReturnType<typeof CommentHighlights.configure>;
  handlers: { onRanges: (ranges: CommentRanges) => void; onSelect: (threadId: string) => void };
}

export function createCommentHighlights(): CommentHighlightsBinding {
  const handlers: CommentHighlightsBinding["handlers"] = { onRanges: () => {}, onSelect: () => {} };
  return {
    handlers,
    extension: CommentHighlights.configure({ onRanges: (ranges) => handlers.onRanges(ranges), onSelect: (id) => handlers.onSelect(id) }),
  };
}

interface Props {
  editor: Editor | null;
  session: CollabSession;
  role: Role;
  token: string | null;
  accountId: string | null;
  highlights: CommentHighlightsBinding;
  outline: ReactNode;
  /** The version history has the page (app/d/[id]/history/): no comment bar, no sidebar. */
  historyOpen: boolean;
  children: ReactNode;
}

const HASH_PREFIX = "#comment-";

export function CommentSidebar({ editor, session, role, token, accountId, highlights, outline, historyOpen, children }: Props) {
  const threads = useComments(session);
  const [open, setOpen] = useState(false);
  const [ranges, setRanges] = useState<CommentRanges>(new Map());
  const [activeId, setActiveId] = useState<string | null>(null);
  const [showResolved, setShowResolved] = useState(false);
  const [draft, setDraft] = useState<CommentDraft | null>(null);
  const hasSelection = useEditorState({ editor, selector: ({ editor: e }) => (e ? !e.state.selection.empty : false) }) ?? false;

  useEffect(() => {
    highlights.handlers.onRanges = setRanges;
    highlights.handlers.onSelect = (id) => {
      setOpen(true);
      setActiveId(id);
    };
  }, [highlights]);

  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    const anchors = threads.map((t) => ({ id: t.id, start: t.anchor.start, end: t.anchor.end, resolved: t.resolved !== null }));
    setCommentHighlights(editor.state, (tr) => editor.view.dispatch(tr), { anchors, activeId, showResolved: open && showResolved });
  }, [editor, threads, activeId, showResolved, open]);

  // Opened at a thread (a notification's link): show it once it is known.
  useEffect(() => {
    const openFromHash = () => {
      if (!location.hash.startsWith(HASH_PREFIX)) return;
      const id = decodeURIComponent(location.hash.slice(HASH_PREFIX.length));
      const thread = session.comments.thread(id);
      if (!thread) return;
      setOpen(true);
      setShowResolved(thread.resolved !== null);
      setActiveId(id);
    };
    openFromHash();
    window.addEventListener("hashchange", openFromHash);
    const unsubscribe = session.comments.subscribe(openFromHash);
    return () => {
      window.removeEventListener("hashchange", openFromHash);
      unsubscribe();
    };
  }, [session]);

  // On a narrow screen the sidebar opens below the text: bring it (or the thread) into view.
  useEffect(() => {
    if (!open) return;
    const target = (activeId && document.getElementById(`comment-${activeId}`)) || document.getElementById("comments-sidebar");
    target?.scrollIntoView({ block: "nearest" });
  }, [open, activeId]);

  function startComment() {
    if (!editor || editor.isDestroyed) return;
    const anchor = selectionAnchor(editor.state);
    if (!anchor) return;
    setDraft(anchor);
    setShowResolved(false);
    setOpen(true);
  }

  function showInText(threadId: string) {
    setActiveId(threadId);
    const range = ranges.get(threadId);
    if (!editor || editor.isDestroyed || !range) return;
    editor.commands.setTextSelection(range);
    editor.view.domAtPos(range.from).node.parentElement?.scrollIntoView({ block: "center" });
  }

  const openCount = threads.filter((t) => !t.resolved).length;
  // One tree whether the history is open or not, so the editor below stays mounted.
  const layout = historyOpen ? " history-open" : open ? " comments-open" : "";
  return (
    <div className={`editor-layout${layout}`}>
      <div className="editor-column">
        <div className="comment-bar" hidden={historyOpen}>
          {canComment(role) && (
            <button type="button" className="button" disabled={!hasSelection} onClick={startComment} data-testid="add-comment" title="Comment on the selected text">
              Comment
            </button>
          )}
          <button type="button" className="button" aria-expanded={open} aria-controls="comments-sidebar" onClick={() => setOpen(!open)} data-testid="toggle-comments">
            Comments ({openCount})
          </button>
        </div>
        {children}
      </div>
      {historyOpen ? null : open ? (
        <div id="comments-sidebar" className="comments-column">
          <CommentsPanel
            session={session}
            threads={threads}
            ranges={ranges}
            role={role}
            token={token}
            draft={draft}
            activeId={activeId}
            showResolved={showResolved}
            onShowResolved={setShowResolved}
            onDraftDone={(threadId) => {
              setDraft(null);
              if (threadId) setActiveId(threadId);
            }}
            onShowInText={showInText}
            accountId={accountId}
          />
        </div>
      ) : (
        outline
      )}
    </div>
  );
}
