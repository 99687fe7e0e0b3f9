"use client";
// "Who wrote this": hovering a block of the document shows who wrote it and when it last
// changed, next to it; the block holding the caret is described in the editor's footer, so a
// keyboard user gets the same. Authors come from the server's record of which person owns each
// Yjs client id (GET /api/documents/<id>/authors, lib/attribution/blockAuthors.ts).
import { useCallback, useEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";
import type { Editor } from "@tiptap/core";
import * as Y from "yjs";
import type { ClientAuthor } from "@/lib/attribution/authors";
import { authorNames, blockAuthorship } from "@/lib/attribution/blockAuthors";
import { EDITOR_FRAGMENT_NAME } from "@/lib/editor/extensions";

/** Unknown client ids are asked about at most this often. */
const REFETCH_MS = 2_000;

function describe(names: string[], lastChanged: number | null): string {
  if (names.length === 0) return "";
  const who = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  if (lastChanged === null) return `Written by ${who}`;
  const at = new Date(lastChanged);
  const sameDay = at.toDateString() === new Date().toDateString();
  const when = new Intl.DateTimeFormat(undefined, sameDay ? { timeStyle: "short" } : { dateStyle: "medium", timeStyle: "short" }).format(at);
  return `Written by ${who} · last changed around ${when}`;
}

function useAuthors(documentId: string) {
  const [authors, setAuthors] = useState<ReadonlyMap<number, ClientAuthor>>(new Map());
  const lastFetch = useRef(0);
  const trailing = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refetch = useCallback(async (): Promise<void> => {
    const wait = lastFetch.current + REFETCH_MS - Date.now();
    if (wait > 0) {
      // Asked again too soon: once more when allowed, so an author who just wrote is named.
      trailing.current ??= setTimeout(() => {
        trailing.current = null;
        void refetch();
      }, wait);
      return;
    }
    lastFetch.current = Date.now();
    const token = new URLSearchParams(window.location.search).get("token");
    const response = await fetch(`/api/documents/${encodeURIComponent(documentId)}/authors`, { headers: token ? { "x-share-token": token } : {} }).catch(() => null);
    if (!response?.ok) return;
    const body = (await response.json()) as { authors: ClientAuthor[] };
    setAuthors(new Map(body.authors.map((author) => [author.clientId, author])));
  }, [documentId]);
  useEffect(() => () => clearTimeout(trailing.current ?? undefined), []);
  return { authors, refetch };
}

/** The index of the top-level block at document position `pos`. */
function blockIndexAt(editor: Editor, pos: number): number | null {
  const doc = editor.state.doc;
  if (pos < 0 || pos > doc.content.size) return null;
  const $pos = doc.resolve(pos);
  return $pos.depth === 0 ? (pos < doc.content.size ? $pos.index(0) : null) : $pos.index(0);
}

/** Drawn inside the editor frame (the tip is positioned in it); the caret's line goes to `footer`. */
export function AttributionTip({ editor, ydoc, documentId, footer }: { editor: Editor; ydoc: Y.Doc; documentId: string; footer: HTMLElement | null }) {
  const { authors, refetch } = useAuthors(documentId);
  const [hovered, setHovered] = useState<{ index: number; top: number; right: number } | null>(null);
  const [caretIndex, setCaretIndex] = useState<number | null>(null);
  const [, setTick] = useState(0);

  const describeBlock = useCallback(
    (index: number | null): string => {
      if (index === null) return "";
      const block = ydoc.getXmlFragment(EDITOR_FRAGMENT_NAME).get(index);
      if (!(block instanceof Y.XmlElement || block instanceof Y.XmlText)) return "";
      const authorship = blockAuthorship(block, authors);
      if (authorship.unknownClients.length > 0) void refetch();
      return describe(authorNames(authorship), authorship.lastChanged);
    },
    [ydoc, authors, refetch],
  );

  useEffect(() => {
    void refetch();
    const dom = editor.view.dom;
    const frame = dom.closest(".editor-frame");
    let raf = 0;
    const onMove = (event: MouseEvent) => {
      cancelAnimationFrame(raf);
      raf = requestAnimationFrame(() => {
        let element = event.target as HTMLElement | null;
        while (element && element.parentElement !== dom) element = element.parentElement;
        if (!element || !frame) return setHovered(null);
        let index: number | null = null;
        try {
          index = blockIndexAt(editor, editor.view.posAtDOM(element, 0));
        } catch {
          index = null;
        }
        if (index === null) return setHovered(null);
        const box = element.getBoundingClientRect();
        const frameBox = frame.getBoundingClientRect();
        setHovered({ index, top: box.top - frameBox.top, right: frameBox.right - box.right });
      });
    };
    const onLeave = () => setHovered(null);
    const onSelection = () => setCaretIndex(blockIndexAt(editor, editor.state.selection.from));
    // Others' edits change who wrote a block: redraw what is shown.
    const onUpdate = () => setTick((n) => n + 1);
    dom.addEventListener("mousemove", onMove);
    dom.addEventListener("mouseleave", onLeave);
    editor.on("selectionUpdate", onSelection);
    ydoc.on("afterTransaction", onUpdate);
    return () => {
      cancelAnimationFrame(raf);
      dom.removeEventListener("mousemove", onMove);
      dom.removeEventListener("mouseleave", onLeave);
      editor.off("selectionUpdate", onSelection);
      ydoc.off("afterTransaction", onUpdate);
    };
  }, [editor, ydoc, refetch]);

  const hoverText = hovered ? describeBlock(hovered.index) : "";
  const caretText = describeBlock(caretIndex);
  return (
    <>
      {hovered && hoverText && (
        <div className="attribution-tip" style={{ top: hovered.top, right: hovered.right }} aria-hidden="true" data-testid="attribution-tip">
          {hoverText}
        </div>
      )}
      {footer &&
        createPortal(
          <p className="attribution-status muted" data-testid="attribution-status">
            {caretText && <span className="visually-hidden">This block: </span>}
            {caretText}
          </p>,
          footer,
        )}
    </>
  );
}
