// Text a person types (titles, emails, names) never needs control characters, and some of
// them break what stores or shows it: PostgreSQL refuses NUL in text columns, line breaks
// and other C0/C1 codes corrupt one-line labels and logs, and a lone UTF-16 surrogate is
// not valid Unicode (it cannot be encoded as UTF-8). Shared by the API and the browser.

/** C0 controls (U+0000..U+001F, tab and line breaks included), DEL (U+007F), C1 controls
 *  (U+0080..U+009F), and, thanks to the `u` flag, only *unpaired* surrogates (a pair is one
 *  code point, an emoji, and does not match). */
const CONTROL_OR_LONE_SURROGATE = /[\u0000-\u001f\u007f-\u009f\ud800-\udfff]/u;

const ALL_CONTROL_OR_LONE_SURROGATE = new RegExp(CONTROL_OR_LONE_SURROGATE.source, "gu");

/** True when `text` holds a control character or a lone surrogate (input to refuse). */
export function containsControlCharacter(text: string): boolean {
  return CONTROL_OR_LONE_SURROGATE.test(text);
}

/** `text` without its control characters and lone surrogates (input to clean, e.g. a name). */
export function withoutControlCharacters(text: string): string {
  return text.replace(ALL_CONTROL_OR_LONE_SURROGATE, "");
}
