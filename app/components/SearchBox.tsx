"use client";
// The home page's search: results as you type (GET /api/documents?q=, debounced, the previous
// request aborted), each with its marked snippet, "More results" for the next page, and an
// empty state. Keyboard: "/" (outside text fields) or Ctrl/Cmd+Shift+F focuses the box (Ctrl+K
// belongs to links in the editor); ArrowDown/ArrowUp move between the box and the results,
// Enter opens one, Escape goes back to the box and then clears it.
import Link from "next/link";
import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from "react";
import { announce } from "./announcements";
import { apiErrorMessage } from "./apiErrorMessage";
import { LocalTime } from "./LocalTime";
import { SearchSnippet, type SnippetPart } from "./SearchSnippet";
import styles from "./SearchBox.module.css";

/** Quiet time after the last keystroke before searching. */
const SEARCH_DEBOUNCE_MS = 150;

interface Hit {
  id: string;
  title: string;
  updatedAt: string;
  owner: { id: string; name: string } | null;
  titleParts: SnippetPart[];
  snippet: SnippetPart[];
}

type SearchState =
  | { status: "idle" }
  | { status: "searching"; query: string }
  | { status: "done"; query: string; hits: Hit[]; nextCursor: string | null; capped: boolean; loadingMore: boolean }
  | { status: "error"; query: string; message: string };

/** True when typing "/" there means the character, not the shortcut. */
function isTextField(element: Element | null): boolean {
  if (!(element instanceof HTMLElement)) return false;
  if (element.isContentEditable) return true;
  if (element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) return true;
  return element instanceof HTMLInputElement && !["button", "checkbox", "radio", "submit", "reset"].includes(element.type);
}

/** A page of results; `capped`: the query matched so many documents that only the first of
 *  them were ranked (the server's SEARCH_CANDIDATES). */
interface Results {
  documents: Hit[];
  nextCursor: string | null;
  capped: boolean;
}

async function fetchResults(query: string, cursor: string | null, signal?: AbortSignal): Promise<Results> {
  const params = new URLSearchParams({ q: query });
  if (cursor) params.set("cursor", cursor);
  const response = await fetch(`/api/documents?${params}`, { signal });
  if (!response.ok) throw new Error(await apiErrorMessage(response));
  return (await response.json()) as Results;
}

/** What a finished search found, in words (shown under the box and announced). */
function resultText(state: Extract<SearchState, { status: "done" }>): string {
  if (state.hits.length === 0) return `No documents match “${state.query}”.`;
  const count = `${state.hits.length}${state.nextCursor ? "+" : ""}`;
  const found = `${count} ${state.hits.length === 1 ? "document matches" : "documents match"}; arrow keys move through them.`;
  return state.capped ? `${found} So many documents match that only some of them were ranked: add a word to narrow the search.` : found;
}

export function SearchBox() {
  const [query, setQuery] = useState("");
  const [state, setState] = useState<SearchState>({ status: "idle" });
  const inputRef = useRef<HTMLInputElement>(null);
  const resultsRef = useRef<HTMLUListElement>(null);

  // Each finished search is said once ("More results" loading does not repeat it).
  const finishedText = state.status === "done" ? resultText(state) : null;
  const finishedQuery = state.status === "done" ? state.query : null;
  useEffect(() => {
    if (finishedText) announce(finishedText);
  }, [finishedText, finishedQuery]);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.altKey) return;
      const slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !isTextField(document.activeElement);
      const find = (event.ctrlKey || event.metaKey) && event.shiftKey && event.key.toLowerCase() === "f";
      if (!slash && !find) return;
      event.preventDefault();
      inputRef.current?.focus();
      inputRef.current?.select();
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);

  useEffect(() => {
    const trimmed = query.trim();
    if (trimmed === "") {
      setState({ status: "idle" });
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setState({ status: "searching", query: trimmed });
      fetchResults(trimmed, null, controller.signal).then(
        ({ documents, nextCursor, capped }) =>
          setState({ status: "done", query: trimmed, hits: documents, nextCursor, capped, loadingMore: false }),
        (error: unknown) => {
          if (controller.signal.aborted) return;
          setState({ status: "error", query: trimmed, message: error instanceof Error ? error.message : "Search failed." });
        },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  async function loadMore() {
    if (state.status !== "done" || !state.nextCursor) return;
    const current = state;
    setState({ ...current, loadingMore: true });
    try {
      const { documents, nextCursor } = await fetchResults(current.query, current.nextCursor);
      setState((latest) =>
        latest.status === "done" && latest.query === current.query
          ? { ...latest, hits: [...latest.hits, ...documents], nextCursor, loadingMore: false }
          : latest,
      );
    } catch (error) {
      setState({ status: "error", query: current.query, message: error instanceof Error ? error.message : "Search failed." });
    }
  }

  const resultLinks = () => Array.from(resultsRef.current?.querySelectorAll<HTMLAnchorElement>("a[data-result]") ?? []);

  function onInputKeyDown(event: ReactKeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown") {
      const first = resultLinks()[0];
      if (first) {
        event.preventDefault();
        first.focus();
      }
    } else if (event.key === "Escape" && query !== "") {
      event.preventDefault();
      setQuery("");
    }
  }

  function onResultsKeyDown(event: ReactKeyboardEvent<HTMLUListElement>) {
    const links = resultLinks();
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" && at < links.length - 1) {
      event.preventDefault();
      links[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (at > 0 ? links[at - 1] : inputRef.current)?.focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      inputRef.current?.focus();
    }
  }

  return (
    <div role="search" className={styles.search} aria-label="Search documents">
      <label htmlFor="document-search" className="visually-hidden">
        Search documents
      </label>
      <input
        id="document-search"
        ref={inputRef}
        type="search"
        className={styles.input}
        placeholder="Search documents (press / or Ctrl+Shift+F)"
        aria-keyshortcuts="/ Control+Shift+F Meta+Shift+F"
        aria-describedby="document-search-status"
        autoComplete="off"
        spellCheck={false}
        maxLength={200}
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={onInputKeyDown}
        data-testid="search-input"
      />
      {/* Not a live region: the result is said once through the page's one (above), not each
          "Searching…" while typing. */}
      <p id="document-search-status" className={`muted ${styles.status}`} data-testid="search-status">
        {state.status === "searching" && "Searching…"}
        {state.status === "done" && state.hits.length === 0 && <span data-testid="search-empty">{resultText(state)}</span>}
        {state.status === "done" && state.hits.length > 0 && resultText(state)}
      </p>
      {state.status === "error" && (
        <p className="error-text" role="alert" data-testid="search-error">
          {state.message}
        </p>
      )}
      {state.status === "done" && state.hits.length > 0 && (
        <>
          <ul ref={resultsRef} className={styles.results} aria-label={`Results for ${state.query}`} onKeyDown={onResultsKeyDown} data-testid="search-results">
            {state.hits.map((hit) => (
              <li key={hit.id} data-document-id={hit.id}>
                <Link href={`/d/${hit.id}`} className={styles.result} data-result data-testid="search-result">
                  <span className={styles.resultHeading}>
                    <span className="document-title" data-testid="search-result-title">
                      <SearchSnippet parts={hit.titleParts} />
                    </span>
                    <LocalTime iso={hit.updatedAt} />
                  </span>
                  {hit.snippet.length > 0 && (
                    <span className={styles.snippet} data-testid="search-snippet">
                      <SearchSnippet parts={hit.snippet} />
                    </span>
                  )}
                </Link>
              </li>
            ))}
          </ul>
          {state.nextCursor && (
            <button type="button" className={`button ${styles.more}`} onClick={loadMore} disabled={state.loadingMore} data-testid="search-more">
              {state.loadingMore ? "Loading…" : "More results"}
            </button>
          )}
        </>
      )}
    </div>
  );
}
