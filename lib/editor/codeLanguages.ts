// The grammars of the code blocks' languages (highlight.js's "common" set, through lowlight), in
// a module of their own so the editor's scripts load them only after it is editable
// (codeBlock.ts's loadCodeLanguages).
export { common as CODE_GRAMMARS } from "lowlight";
