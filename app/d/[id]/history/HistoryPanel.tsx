"use client";
// The version history panel: the document's versions grouped by day with their names and
// authors; the selected one shown read-only with its changes marked against the version before
// it or against the current document; "Save version" and "Restore this version" for editors;
// the owner's switch for whether viewers and commenters may browse. The server decides who may
// do what (server/history/versionHttp.ts); this only reflects it.
//
// Restoring happens in this page's editor: the version's content replaces the live content as
// one local change, which the collaboration binding turns into a minimal Yjs diff, so everyone
// connected sees it at once and Ctrl+Z here undoes it. The server records it in the next version.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Editor } from "@tiptap/react";
import type { Doc } from "yjs";
import { ErrorNote } from "@/app/components/ErrorNote";
import { announce } from "@/app/components/announcements";
import { documentTitleText, setTitleText } from "@/lib/editor/documentTitleText";
import { hasChanges, labelledChanges, versionContent } from "@/lib/history/versionContent";
import { historyApi, type Compare, type OpenedVersion, type VersionList } from "./historyApi";
import { groupByDay, versionTime, versionTitle } from "./versionLabels";
import { VersionPreview } from "./VersionPreview";

interface Props {
  documentId: string;
  token: string | null;
  /** The live editor, for a restore. */
  editor: Editor | null;
  ydoc: Doc;
  /** Whether this page may change the document now (its live role). */
  mayEdit: boolean;
  /** Resolves once this page's edits are committed by the server. */
  whenSaved(): Promise<void>;
  onClose(): void;
}

export function HistoryPanel({ documentId, token, editor, ydoc, mayEdit, whenSaved, onClose }: Props) {
  const api = useMemo(() => historyApi(documentId, token), [documentId, token]);
  const [list, setList] = useState<VersionList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [compare, setCompare] = useState<Compare>("previous");
  const [opened, setOpened] = useState<OpenedVersion | null>(null);
  const [loading, setLoading] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  const refresh = useCallback(async () => {
    try {
      setList(await api.list());
      setError(null);
    } catch (caught) {
      setError((caught as Error).message);
    }
  }, [api]);

  useEffect(() => {
    heading.current?.focus();
    void refresh();
  }, [refresh]);

  useEffect(() => {
    if (!selected) return;
    let current = true;
    setLoading(true);
    api
      .open(selected, compare)
      .then((result) => {
        if (!current) return;
        setOpened(result);
        setError(null);
      })
      .catch((caught: Error) => current && setError(caught.message))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [api, selected, compare]);

  const preview = useMemo(() => (opened ? labelledChanges(opened.content, opened.authors) : null), [opened]);
  const changedBy = useMemo(() => {
    if (!opened) return [];
    const ids = new Set<string>();
    const visit = (node: OpenedVersion["content"]) => {
      for (const mark of node.marks ?? []) if (mark.type === "historyChange" && typeof mark.attrs?.author === "string") ids.add(mark.attrs.author);
      (node.content ?? []).forEach(visit);
    };
    visit(opened.content);
    return opened.authors.filter((author) => ids.has(author.id));
  }, [opened]);

  const restore = () => {
    if (!opened || !editor || editor.isDestroyed) return;
    editor.chain().setContent(versionContent(opened.content)).run();
    ydoc.transact(() => setTitleText(documentTitleText(ydoc), opened.title));
    announce(`Restored “${versionTitle(opened.version)}”. Press Ctrl+Z in the document to undo.`);
    onClose();
    editor.commands.focus();
  };

  const canRestore = Boolean(list?.canRestore && mayEdit && opened && opened.version.id === selected);
  return (
    <section className="history-panel" aria-labelledby="history-heading" data-testid="history-panel">
      <div className="history-header">
        <h2 id="history-heading" ref={heading} tabIndex={-1}>
          Version history
        </h2>
        <button type="button" className="button" onClick={onClose} data-testid="history-close">
          Close history
        </button>
      </div>
      <ErrorNote message={error} testId="history-error" />
      <div className="history-body">
        <div className="history-sidebar">
          {list?.canRestore && mayEdit && (
            <SaveVersionForm
              save={async (name) => {
                await whenSaved();
                return api.save(name);
              }}
              onSaved={refresh}
            />
          )}
          {list?.canChangeSetting && (
            <label className="history-setting">
              <input
                type="checkbox"
                checked={list.readersMayBrowse}
                data-testid="history-readers"
                onChange={async (event) => {
                  // Shown at once, put back if the server refuses.
                  const allowed = event.target.checked;
                  setList({ ...list, readersMayBrowse: allowed });
                  try {
                    await api.setReadersMayBrowse(allowed);
                  } catch (caught) {
                    setList({ ...list, readersMayBrowse: !allowed });
                    setError((caught as Error).message);
                  }
                }}
              />
              Viewers and commenters may see the history
            </label>
          )}
          {list && list.versions.length === 0 && <p className="muted">No versions yet. One is saved when a burst of editing ends, when everyone leaves, or with Save version.</p>}
          {list && (
            <nav aria-label="Versions" className="history-list" data-testid="history-list">
              {groupByDay(list.versions).map((group) => (
                <div key={group.day}>
                  <h3 className="history-day">{group.day}</h3>
                  <ul>
                    {group.versions.map((version) => (
                      <li key={version.id}>
                        <button
                          type="button"
                          className="history-entry"
                          aria-current={version.id === selected ? "true" : undefined}
                          data-testid="history-entry"
                          onClick={() => setSelected(version.id)}
                        >
                          <span className="history-entry-title">
                            {versionTitle(version)} <span className="muted">{versionTime(version)}</span>
                          </span>
                          {version.authors.length > 0 && (
                            <span className="history-authors">
                              {version.authors.map((author) => (
                                <span key={author.id} className="history-author">
                                  <span className="history-swatch" style={{ background: author.color }} aria-hidden="true" />
                                  {author.name}
                                </span>
                              ))}
                            </span>
                          )}
                        </button>
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </nav>
          )}
        </div>
        <div className="history-view" aria-busy={loading} data-testid="history-view">
          {!selected && <p className="muted">Select a version to see it.</p>}
          {selected && (
            <>
              <fieldset className="history-compare">
                <legend>Show changes</legend>
                <label>
                  <input type="radio" name="history-compare" checked={compare === "previous"} onChange={() => setCompare("previous")} data-testid="history-compare-previous" />
                  since the version before
                </label>
                <label>
                  <input type="radio" name="history-compare" checked={compare === "current"} onChange={() => setCompare("current")} data-testid="history-compare-current" />
                  against the current document
                </label>
              </fieldset>
              {opened && preview && (
                <>
                  <p className="history-view-title" data-testid="history-view-title">
                    <strong>{opened.title || "Untitled"}</strong> — {versionTitle(opened.version)}, {new Date(opened.version.createdAt).toLocaleString()}
                  </p>
                  <p className="muted history-legend" data-testid="history-legend">
                    {!hasChanges(opened.content)
                      ? compare === "current"
                        ? "The same as the current document."
                        : "No changes since the version before."
                      : compare === "current"
                        ? "Underlined: in this version, not in the current document. Struck through: in the current document only."
                        : "Underlined: added in this version. Struck through: removed."}
                    {changedBy.length > 0 && (
                      <>
                        {" "}
                        Changes by{" "}
                        {changedBy.map((author, index) => (
                          <span key={author.id} className="history-author">
                            <span className="history-swatch" style={{ background: author.color }} aria-hidden="true" />
                            {author.name}
                            {index < changedBy.length - 1 ? ", " : "."}
                          </span>
                        ))}
                      </>
                    )}
                  </p>
                  {canRestore && (
                    <button type="button" className="button primary" onClick={restore} data-testid="history-restore">
                      Restore this version
                    </button>
                  )}
                  <VersionPreview content={preview} label={`Version content, read-only: ${versionTitle(opened.version)}`} />
                </>
              )}
            </>
          )}
        </div>
      </div>
    </section>
  );
}

function SaveVersionForm({ save, onSaved }: { save(name: string): Promise<unknown>; onSaved(): Promise<void> }) {
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="history-save"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        try {
          await save(name);
          announce(`Saved the version “${name.trim()}”.`);
          setName("");
          setError(null);
          await onSaved();
        } catch (caught) {
          setError((caught as Error).message);
        } finally {
          setBusy(false);
        }
      }}
    >
      <label htmlFor="history-save-name">Version name</label>
      <div className="history-save-row">
        <input id="history-save-name" value={name} maxLength={100} onChange={(event) => setName(event.target.value)} data-testid="history-save-name" required />
        <button type="submit" className="button" disabled={busy} data-testid="history-save">
          Save version
        </button>
      </div>
      <ErrorNote message={error} testId="history-save-error" />
    </form>
  );
}
