"use client";
// The document's title, bound to the title text in the document's Y.Doc
// (lib/editor/documentTitleText.ts): every keystroke is a small splice of that text, so a
// rename syncs live, is kept offline with the rest of the document, merges with someone
// renaming at the same time, and Ctrl+Z undoes it. The server mirrors it to the documents row.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import * as Y from "yjs";
import { DEFAULT_DOCUMENT_TITLE, DOCUMENT_TITLE_MAX_CHARS, displayDocumentTitle } from "@/lib/documents/documentTitle";
import { changeEnd, documentTitleText, hasTitleText, mapCaretThroughDelta, setTitleText, type TextDeltaOp } from "@/lib/editor/documentTitleText";
import { withoutControlCharacters } from "@/lib/text/controlCharacters";
import type { CollabSession } from "./collabSession";
import { useContentReady } from "./DocumentEditor";
import { useOpenSession } from "./openSessions";
import { useConnectionState } from "./useConnectionStatus";
import { useLiveRole } from "./useLiveRole";
import { canEdit } from "@/lib/access/roles";

/** Transaction origin of this page's title edits: the only ones its undo manager undoes. */
const LOCAL_TITLE_ORIGIN = Symbol("local-title");
/** Keystrokes closer together than this are one undo step (the editor's Yjs default too). */
const UNDO_CAPTURE_MS = 500;

interface Props {
  documentId: string;
  /** The title in the documents row, shown until the document's own copy is there. */
  initialTitle: string;
}

export function DocumentTitle({ documentId, initialTitle }: Props) {
  // Opened by the editor (a guest names themselves first); until then, the row's title.
  const session = useOpenSession(documentId);
  if (!session) {
    return (
      <TitleRow heading={displayDocumentTitle(initialTitle)}>
        <input {...inputProps} value={initialTitle} readOnly />
      </TitleRow>
    );
  }
  return <LiveTitle key={session.ydoc.guid} session={session} initialTitle={initialTitle} />;
}

const inputProps = {
  className: "document-title-input",
  "data-testid": "document-title",
  "aria-label": "Document title",
  maxLength: DOCUMENT_TITLE_MAX_CHARS,
} as const;

/** The row, with the title as the page's level-one heading for screen readers (the input
 *  itself cannot be one: a heading holding a text field reads as neither). */
function TitleRow({ heading, children }: { heading: string; children: ReactNode }) {
  return (
    <div className="document-title-row">
      <h1 className="visually-hidden">{heading}</h1>
      {children}
    </div>
  );
}

function LiveTitle({ session, initialTitle }: { session: CollabSession; initialTitle: string }) {
  const { ydoc, provider } = session;
  // Read-only until the document is there: typing into a still-empty title text would insert
  // beside the real title instead of editing it (the editor waits the same way).
  const ready = useContentReady(session);
  const { terminalCloseCode } = useConnectionState(provider);
  // Viewers and commenters see the title but cannot rename (the server refuses it anyway); the
  // role is the server's, live: lowering or raising someone changes it under an open page.
  const mayEdit = canEdit(useLiveRole(session)) && ready && terminalCloseCode === null;
  const inputRef = useRef<HTMLInputElement>(null);
  const text = useMemo(() => documentTitleText(ydoc), [ydoc]);
  const undoManager = useMemo(
    () => new Y.UndoManager(text, { trackedOrigins: new Set([LOCAL_TITLE_ORIGIN]), captureTimeout: UNDO_CAPTURE_MS }),
    [text],
  );
  useEffect(() => () => undoManager.destroy(), [undoManager]);
  // A document from before titles lived in the Y.Doc gets its title there from the server on
  // first load; until then the row's title is the placeholder, not "Untitled".
  const [titled, setTitled] = useState(true);
  /** The title as shown to others (the tab title and the page's heading). */
  const [heading, setHeading] = useState(displayDocumentTitle(initialTitle));
  /** The undo stack's length when the field was focused: Escape undoes back to it. */
  const undoMarkAtFocus = useRef(0);

  // The input is uncontrolled: changes from elsewhere (others, the server, undo) are written
  // into it here, with the caret kept where it was relative to the text around it.
  useEffect(() => {
    const input = inputRef.current;
    if (!input || !ready) return;
    const show = (event: Y.YTextEvent | null, origin: unknown) => {
      const value = text.toString();
      setTitled(hasTitleText(ydoc));
      setHeading(displayDocumentTitle(value));
      document.title = `${displayDocumentTitle(value)} · Documents`;
      if (input.value === value) return;
      const focused = document.activeElement === input;
      const { selectionStart, selectionEnd } = input;
      input.value = value;
      if (!focused || !event || selectionStart === null || selectionEnd === null) return;
      const delta = event.delta as TextDeltaOp[];
      if (origin === undoManager) {
        const end = changeEnd(delta);
        input.setSelectionRange(end, end);
      } else {
        input.setSelectionRange(mapCaretThroughDelta(selectionStart, delta), mapCaretThroughDelta(selectionEnd, delta));
      }
    };
    const observer = (event: Y.YTextEvent, transaction: Y.Transaction) => {
      if (transaction.origin === LOCAL_TITLE_ORIGIN) {
        setHeading(displayDocumentTitle(text.toString()));
        document.title = `${displayDocumentTitle(text.toString())} · Documents`;
        return;
      }
      show(event, transaction.origin);
    };
    text.observe(observer);
    show(null, null);
    return () => text.unobserve(observer);
  }, [text, ydoc, ready, undoManager]);

  // The browser's own undo (Edit menu, or a key we do not catch) would replay its record of
  // the input, which the changes written above make meaningless: ours instead.
  useEffect(() => {
    const input = inputRef.current;
    if (!input) return;
    const onBeforeInput = (event: InputEvent) => {
      if (event.inputType !== "historyUndo" && event.inputType !== "historyRedo") return;
      event.preventDefault();
      if (event.inputType === "historyUndo") undoManager.undo();
      else undoManager.redo();
    };
    input.addEventListener("beforeinput", onBeforeInput);
    return () => input.removeEventListener("beforeinput", onBeforeInput);
  }, [undoManager]);

  function onChange(input: HTMLInputElement): void {
    // A pasted tab or stray control character is not part of a title.
    const clean = withoutControlCharacters(input.value);
    if (clean !== input.value) {
      const caret = Math.max(0, (input.selectionStart ?? clean.length) - (input.value.length - clean.length));
      input.value = clean;
      input.setSelectionRange(caret, caret);
    }
    ydoc.transact(() => setTitleText(text, clean), LOCAL_TITLE_ORIGIN);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>): void {
    const key = event.key.toLowerCase();
    const mod = event.ctrlKey || event.metaKey;
    if (mod && key === "z") {
      event.preventDefault();
      if (event.shiftKey) undoManager.redo();
      else undoManager.undo();
    } else if (mod && key === "y") {
      event.preventDefault();
      undoManager.redo();
    } else if (event.key === "Enter") {
      event.preventDefault();
      event.currentTarget.blur();
    } else if (event.key === "Escape") {
      // Back to the title as it was when the field was focused, then leave it.
      while (undoManager.undoStack.length > undoMarkAtFocus.current) undoManager.undo();
      event.currentTarget.blur();
    }
  }

  return (
    <TitleRow heading={heading}>
      <input
        {...inputProps}
        ref={inputRef}
        defaultValue={initialTitle}
        placeholder={titled ? DEFAULT_DOCUMENT_TITLE : initialTitle}
        readOnly={!mayEdit}
        data-live={ready ? "true" : "false"}
        onChange={(event) => onChange(event.currentTarget)}
        onKeyDown={onKeyDown}
        onFocus={() => {
          undoManager.stopCapturing();
          undoMarkAtFocus.current = undoManager.undoStack.length;
        }}
        // The next edit starts its own undo step.
        onBlur={() => undoManager.stopCapturing()}
      />
    </TitleRow>
  );
}
