"use client";
// The collaborative editing surface of one document: session lifecycle, status bar
// (presence, save state, connection), toolbar and the Tiptap editor bound to the shared Y.Doc.
import { useCallback, useEffect, useRef, useState } from "react";
import { EditorContent, useEditor } from "@tiptap/react";
import { awarenessUser, createEditorExtensions } from "@/lib/editor/extensions";
import { refreshRemoteCarets, renderCaret } from "@/lib/editor/carets";
import type { CollabUser } from "@/lib/editor/extensions";
import { canEdit, ROLE_LABELS, type Role } from "@/lib/access/roles";
import { getLocalUser, hasStoredUser, setLocalUserName } from "@/app/components/userIdentityStore";
import { closeReasonMessage, hasDocumentContent, openCollabSession, type CollabSession } from "./collabSession";
import { EditorToolbar } from "./EditorToolbar";
import { focusToolbar } from "./useRovingToolbar";
import { createEditorUiExtensions } from "@/lib/editor/editorUi";
import { linkDraftAtSelection, type LinkDraft } from "@/lib/editor/linkEditing";
import { createSlashMenuStore } from "./slashMenuStore";
import { SlashMenu } from "./SlashMenu";
import { LinkDialog } from "./LinkDialog";
import { LinkBubble } from "./LinkBubble";
import { OutlinePanel } from "./OutlinePanel";
import { HistoryPanel } from "./history/HistoryPanel";
import { untilSaved } from "./history/untilSaved";
import { WordCount } from "./WordCount";
import { ShortcutsHelp } from "./ShortcutsHelp";
import { PresenceList } from "./PresenceList";
import { useConnectionState } from "./useConnectionStatus";
import { useSaveStatus } from "./useSaveStatus";
import { useTrashProbe } from "./useTrashProbe";
import { useConnectionAnnouncements } from "./useConnectionAnnouncements";
import { usePresenceAnnouncements } from "./usePresenceAnnouncements";
import { CloseCode } from "@/lib/closeCodes";
import { ensureFirstParagraph } from "@/lib/editor/firstParagraph";
import type { RoleChange } from "@/lib/sync/LiveRole";
import { RoleChangeNotice } from "./RoleChangeNotice";
import { useMentions } from "./useMentions";
import { MentionMenu } from "./MentionMenu";
import { MentionAccessNotice } from "./MentionAccessNotice";
import { AttributionTip } from "./AttributionTip";
import { CommentSidebar, createCommentHighlights } from "./CommentSidebar";

interface Props {
  documentId: string;
  /** The role the server found; it enforces it again on the socket. */
  role: Role;
  /** Share link secret when opened through a link. */
  token: string | null;
  /** The signed-in account's identity; null for a link's guest, who names themselves. */
  account: CollabUser | null;
  /** The signed-in account's id (their comments are theirs to edit); null for a guest. */
  accountId: string | null;
}

export function DocumentEditor(props: Props) {
  // A guest names themselves once (kept in this browser) before joining.
  const [guestName, setGuestName] = useState<string | null>(null);
  const [checkedStore, setCheckedStore] = useState(false);
  useEffect(() => {
    if (!props.account && hasStoredUser()) setGuestName(getLocalUser().name);
    setCheckedStore(true);
  }, [props.account]);

  if (props.account) return <EditorSession {...props} user={props.account} guestName={null} />;
  if (!checkedStore) return <EditorShell />;
  if (guestName === null) return <GuestNameForm onDone={setGuestName} />;
  return <EditorSession {...props} user={{ name: `${guestName} (guest)`, color: getLocalUser().color }} guestName={guestName} />;
}

function GuestNameForm({ onDone }: { onDone: (name: string) => void }) {
  const [draft, setDraft] = useState("");
  return (
    <form
      className="guest-name-form"
      data-testid="guest-name-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (draft.trim()) onDone(setLocalUserName(draft));
      }}
    >
      <label>
        Your name, as others will see it
        <input value={draft} onChange={(event) => setDraft(event.target.value)} maxLength={30} required autoFocus data-testid="guest-name" />
      </label>
      <button type="submit" className="button primary" data-testid="guest-continue">
        Open document
      </button>
    </form>
  );
}

function EditorSession({ documentId, role: pageRole, token, user, guestName, accountId }: Props & { user: CollabUser; guestName: string | null }) {
  const [session, setSession] = useState<CollabSession | null>(null);
  /** Bumped to open a fresh session from the server's copy (after refused edits, below). */
  const [generation, setGeneration] = useState(0);
  // The role the server applies, live: it changes under an open editor (lowered to viewer,
  // raised to editor) without a reconnect. A re-opened session starts from the last one heard.
  const [role, setRole] = useState<Role>(pageRole);
  const roleRef = useRef(pageRole);
  const [roleChange, setRoleChange] = useState<RoleChange | null>(null);
  /** Where the page was scrolled when a session was re-opened, restored once its editor shows the content. */
  const scrollToRestore = useRef<number | null>(null);

  // Created in an effect, not during render: a render may be discarded or repeated (Strict
  // Mode mounts twice in development), and each session owns a socket that must be closed.
  useEffect(() => {
    const opened = openCollabSession(documentId, { token, guestName, role: roleRef.current });
    setSession(opened);
    return () => {
      setSession(null);
      opened.destroy();
    };
  }, [documentId, token, guestName, generation]);

  useEffect(() => {
    if (!session) return;
    const unsubscribe = session.liveRole.subscribe((change) => {
      roleRef.current = change.to;
      setRole(change.to);
      setRoleChange(change);
      if (!change.refusedEdits) return;
      // Edits the server refused would stay on screen (and in this device's copy, sent again
      // at every visit) as if they were part of the document: start again from the server's
      // copy, at the same scroll position. The notice says what was not saved.
      scrollToRestore.current = window.scrollY;
      void session.discardLocalCopy().then(() => setGeneration((n) => n + 1));
    });
    return unsubscribe;
  }, [session]);
  // Once the re-opened session's editor shows the content (it is created when the content is there).
  const restoreScroll = useCallback(() => {
    const top = scrollToRestore.current;
    if (top === null) return;
    scrollToRestore.current = null;
    requestAnimationFrame(() => window.scrollTo({ top }));
  }, []);

  const connection = useConnectionState(session?.provider ?? null);
  const save = useSaveStatus(session);
  // Trashed while this page was disconnected: the upgrade is refused without a close code.
  const trashedMeanwhile = useTrashProbe(session, token);
  const terminalCloseCode = connection.terminalCloseCode ?? (trashedMeanwhile ? CloseCode.DOCUMENT_TRASHED : null);
  // After a permanent close (access revoked, say) nothing typed could reach the server.
  const mayEdit = canEdit(role) && terminalCloseCode === null;
  // The page's live region hears about these changes; the badges below are not live regions
  // (the save badge changes on every keystroke: it was announced 86 times for 43 characters).
  useConnectionAnnouncements({ label: connection.label, terminalCloseCode, mayEdit });
  usePresenceAnnouncements(session?.provider ?? null);

  return (
    <div className="document-editor">
      <div className="status-bar">
        {!canEdit(role) && (
          <span className="role-badge" data-testid="role-badge">
            {ROLE_LABELS[role]}
          </span>
        )}
        <PresenceList awareness={session?.provider.awareness ?? null} />
        {/* Read-only people never save anything: the role badge says so, no save state. */}
        {canEdit(role) && (
          <span className={`save-status save-${save.status.kind}`} data-testid="save-status">
            {save.text}
          </span>
        )}
        <span
          className={`connection-status status-${connection.label === "Connected" ? "connected" : connection.label === "Offline" ? "offline" : "connecting"}`}
          data-testid="connection-status"
        >
          {connection.label}
        </span>
      </div>
      {roleChange && terminalCloseCode === null && <RoleChangeNotice change={roleChange} onDismiss={() => setRoleChange(null)} />}
      {terminalCloseCode !== null && (
        <p className="banner error-text" data-testid="connection-closed">
          {closeReasonMessage(terminalCloseCode)}
        </p>
      )}
      {session ? (
        // Keyed on the session so a new document never reuses an editor bound to the old Y.Doc.
        <CollaborativeEditor
          key={session.provider.roomname + session.ydoc.guid}
          session={session}
          user={user}
          mayEdit={mayEdit}
          onShown={restoreScroll}
          documentId={documentId}
          role={role}
          token={token}
          accountId={accountId}
          canMention={guestName === null}
        />
      ) : (
        <EditorShell />
      )}
    </div>
  );
}

/** Placeholder with the same layout while the session is being opened. */
function EditorShell() {
  return (
    <>
      <EditorToolbar editor={null} editable={false} />
      <div className="editor-frame" data-testid="editor" aria-busy="true">
        <p className="muted editor-loading">Loading…</p>
      </div>
    </>
  );
}

/**
 * True once the Y.Doc holds the document: the server's first sync, or the local copy loaded
 * and not empty. Until then the editor is read-only: typing into a still-empty doc would
 * create edits positioned against nothing, which merge badly with the real content.
 * Stays true through disconnects: offline edits are kept (Y.Doc + local copy) and merged when
 * the socket comes back.
 */
export function useContentReady({ provider, localCopy, ydoc }: CollabSession): boolean {
  const isReady = () => provider.synced || (localCopy.synced && hasDocumentContent(ydoc));
  const [ready, setReady] = useState(isReady);
  useEffect(() => {
    if (ready) return;
    const check = () => {
      if (isReady()) setReady(true);
    };
    provider.on("sync", check);
    localCopy.on("synced", check);
    check();
    return () => {
      provider.off("sync", check);
      localCopy.off("synced", check);
    };
    // isReady reads only provider, localCopy and ydoc.
  }, [provider, localCopy, ydoc, ready]);
  return ready;
}

interface CollaborativeEditorProps {
  session: CollabSession;
  user: CollabUser;
  mayEdit: boolean;
  /** Called once the editor shows the content. */
  onShown: () => void;
  documentId: string;
  /** The live role (what the comments sidebar offers). */
  role: Role;
  token: string | null;
  accountId: string | null;
  /** "@" suggests people (signed-in accounts; a share link's guest cannot mention). */
  canMention: boolean;
}

/**
 * The editor is created once the content is there (useContentReady), editable from its first
 * render: created earlier, it rendered the whole document while read-only, and ProseMirror then
 * reads the DOM selection after each update, which made Chromium lay out the whole freshly
 * inserted document (100-370 ms for 100 KB), and again when it became editable.
 */
function CollaborativeEditor(props: CollaborativeEditorProps) {
  const synced = useContentReady(props.session);
  if (!synced) {
    return (
      <div className="editor-layout">
        <div className="editor-main">
          <EditorToolbar editor={null} editable={false} />
          <div className="editor-frame" data-testid="editor" data-synced="false" data-editable="false" aria-busy="true">
            <p className="muted editor-loading">Loading…</p>
          </div>
        </div>
      </div>
    );
  }
  return <SyncedEditor {...props} />;
}

/** The content element's attributes (one object: a new one would count as changed options). */
const EDITOR_PROPS = { attributes: { "aria-label": "Document content", spellcheck: "true" } };

function SyncedEditor({ session, user, mayEdit, onShown, documentId, role, token, accountId, canMention }: CollaborativeEditorProps) {
  const { ydoc, provider } = session;
  const mentions = useMentions(session.documentId, canMention);
  const [footer, setFooter] = useState<HTMLDivElement | null>(null);
  const editableNow = mayEdit;
  const [slashMenu] = useState(createSlashMenuStore);
  const [linkDraft, setLinkDraft] = useState<LinkDraft | null>(null);
  // The editor's keyboard shortcut is bound once, at creation; it reaches the current editor here.
  const openLinkRef = useRef<() => void>(() => {});
  const toolbarRef = useRef<HTMLDivElement>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const historyButton = useRef<HTMLButtonElement>(null);
  const [commentHighlights] = useState(createCommentHighlights);

  // Built once: the editor is bound to this session's Y.Doc for its life (the component is keyed
  // on the session). Options that differ from the editor's on a re-render make @tiptap/react
  // call setOptions, which updates the whole view (with a forced layout of a fresh document).
  const [extensions] = useState(() =>
    createEditorExtensions({
      document: ydoc,
      provider,
      user,
      renderCaret,
      extra: [
        ...createEditorUiExtensions({
          onLinkShortcut: () => openLinkRef.current(),
          onToolbarShortcut: () => focusToolbar(toolbarRef.current),
          slashMenu: slashMenu.render,
        }),
        ...mentions.extensions,
        commentHighlights.extension,
      ],
    }),
  );
  const editor = useEditor(
    {
      immediatelyRender: false,
      // Read-only for viewers (and once the server has closed the socket for good).
      editable: editableNow,
      extensions,
      editorProps: EDITOR_PROPS,
    },
    [ydoc, provider],
  );

  useEffect(() => {
    if (editor) onShown();
  }, [editor, onShown]);

  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    // Before the first keystroke, so typing fills a paragraph that is already in the Y.Doc
    // rather than creating it inside the first undo step (lib/editor/firstParagraph.ts).
    if (editableNow) ensureFirstParagraph(ydoc);
    if (editor.isEditable !== editableNow) editor.setEditable(editableNow);
  }, [editor, editableNow, ydoc]);

  // A new, empty document: the caret goes straight into the text (it took 11 Tabs), unless
  // the person is already typing somewhere else on the page (the title, say).
  const focusedWhenReady = useRef(false);
  useEffect(() => {
    if (!editor || editor.isDestroyed || !editableNow || focusedWhenReady.current) return;
    focusedWhenReady.current = true;
    const elsewhere = document.activeElement && document.activeElement !== document.body;
    if (editor.isEmpty && !elsewhere) editor.commands.focus("start");
  }, [editor, editableNow]);

  // The server stamps the real identity on our awareness anyway; setting the same one here
  // keeps our own presence entry consistent with what others see.
  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.commands.updateUser(awarenessUser(user, ydoc));
  }, [editor, user, ydoc]);

  // Others renaming themselves: patch their caret labels (y-tiptap reuses caret DOM).
  useEffect(() => {
    if (!editor) return;
    const refresh = () => {
      if (!editor.isDestroyed) refreshRemoteCarets(editor.view.dom, provider.awareness);
    };
    provider.awareness.on("change", refresh);
    return () => provider.awareness.off("change", refresh);
  }, [editor, provider]);

  const editable = editableNow && editor !== null;
  useEffect(() => {
    openLinkRef.current = () => {
      if (editor && !editor.isDestroyed && editor.isEditable) setLinkDraft(linkDraftAtSelection(editor));
    };
  }, [editor]);
  return (
    <CommentSidebar
      editor={editor}
      session={session}
      role={role}
      token={token}
      accountId={accountId}
      highlights={commentHighlights}
      historyOpen={historyOpen}
      outline={historyOpen ? null : <OutlinePanel editor={editor} />}
    >
      {historyOpen && (
        <HistoryPanel
          documentId={documentId}
          token={token}
          editor={editor}
          ydoc={ydoc}
          mayEdit={editable}
          whenSaved={() => untilSaved(session.saveTracker)}
          onClose={() => {
            setHistoryOpen(false);
            requestAnimationFrame(() => historyButton.current?.focus());
          }}
        />
      )}
      {/* Kept mounted (hidden) while the history is open: the live document goes on syncing. */}
      <div className="editor-main" hidden={historyOpen}>
        <EditorToolbar ref={toolbarRef} editor={editor} editable={editable} onLink={() => openLinkRef.current()} />
        <div
          className="editor-frame"
          data-testid="editor"
          data-synced="true"
          data-editable={editable ? "true" : "false"}
          onClick={(event) => {
            // Clicking the empty area below the text focuses the end of the document.
            if (editor && editable && event.target === event.currentTarget) editor.commands.focus("end");
          }}
        >
          <EditorContent editor={editor} />
          {editor && <LinkBubble editor={editor} editable={editable} onEdit={() => openLinkRef.current()} />}
          {editor && <AttributionTip editor={editor} ydoc={ydoc} documentId={session.documentId} footer={footer} />}
        </div>
        <div className="editor-footer" ref={setFooter}>
          <WordCount editor={editor} />
          <button type="button" ref={historyButton} className="toolbar-button" onClick={() => setHistoryOpen(true)} data-testid="history-open">
            History
          </button>
          <ShortcutsHelp />
        </div>
      </div>
      <SlashMenu store={slashMenu} />
      <MentionMenu store={mentions.store} />
      {mentions.withoutAccess && <MentionAccessNotice documentId={session.documentId} mention={mentions.withoutAccess} onDone={mentions.resolve} />}
      <LinkDialog editor={editor} draft={linkDraft} onClose={() => setLinkDraft(null)} />
    </CommentSidebar>
  );
}
