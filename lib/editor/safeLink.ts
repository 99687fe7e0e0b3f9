// The link mark of our schema. Mark attributes come from the shared Y.Doc, which anyone who
// can edit (an edit-link guest too) can fill with whatever a modified client writes, so a
// link may carry only its href, and we alone decide how it opens.
import { Link } from "@tiptap/extension-link";
import type { Transaction } from "@tiptap/pm/state";
import { ySyncPluginKey } from "@tiptap/y-tiptap";

/** Schemes a link may point to; anything else (javascript:, data:, vbscript:, ...) can run or
 *  spoof content in our origin or the browser's. */
export const ALLOWED_LINK_PROTOCOLS: ReadonlySet<string> = new Set(["http:", "https:", "mailto:"]);

/** Fixed by us: a linked page must get no handle on our tab, no referrer and no ranking. */
export const LINK_TARGET = "_blank";
export const LINK_REL = "noopener noreferrer nofollow";

// Relative hrefs resolve against a page of ours, which is always http(s); any base with a
// special scheme parses them the same way the browser will.
const RELATIVE_BASE = "http://relative.invalid/";

/** True when `href` may be rendered as a live link. Parsed with the WHATWG URL parser, as the
 *  browser will, so stripped whitespace and control characters cannot hide a scheme. */
export function isSafeHref(href: unknown): href is string {
  if (typeof href !== "string" || href === "") return false;
  try {
    return ALLOWED_LINK_PROTOCOLS.has(new URL(href, RELATIVE_BASE).protocol);
  } catch {
    return false;
  }
}

/** A transaction that brings a change from the Y.Doc: someone else's edit, the document's first
 *  render, an undo or redo (y-tiptap marks each as the change's origin). */
function fromYDoc(transaction: Transaction): boolean {
  return (transaction.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true;
}

/** StarterKit's Link cut down to `href`: ProseMirror drops undeclared attrs, so no class/target/rel from the Y.Doc renders. */
export const safeLink = Link.extend({
  // Typing at the end of a link writes plain text (Tiptap makes links inclusive when autolink
  // is on, so text typed after a link added with Ctrl+K silently joined it).
  inclusive: false,

  addAttributes() {
    return {
      href: {
        default: null,
        parseHTML: (element: HTMLElement) => element.getAttribute("href"),
      },
    };
  },

  // Autolinking is for what the person types here. A change from the Y.Doc is left as it came:
  // otherwise every open editor linked the same words someone else (a stock client, the
  // content API) had written, each sending that change, and the document's first render
  // scanned its whole text (22 ms of opening 100 KB, bench/open.ts's profile).
  addProseMirrorPlugins() {
    const plugins = this.parent?.() ?? [];
    for (const plugin of plugins) {
      const append = plugin.spec.appendTransaction;
      if (!append || !(plugin as unknown as { key: string }).key.startsWith("autolink$")) continue;
      plugin.spec.appendTransaction = (transactions, oldState, newState) =>
        transactions.some(fromYDoc) ? null : append.call(plugin, transactions, oldState, newState);
    }
    return plugins;
  },

  renderHTML({ mark }) {
    const href: unknown = mark.attrs.href;
    // An unsafe href keeps its text but is not a link: no href at all, since href="" would
    // still navigate (to this page).
    if (!isSafeHref(href)) return ["a", 0];
    return ["a", { href, target: LINK_TARGET, rel: LINK_REL }, 0];
  },
}).configure({
  // Also what pasting, autolinking, setLink and parsing HTML may create.
  isAllowedUri: (url) => isSafeHref(url),
});

