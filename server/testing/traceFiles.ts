// The real editing traces that tests and benchmarks replay. They live in the repository
// (testdata/traces, CC BY 4.0, attribution in its README.md) so that a fresh clone with no
// folders beside it can run `npm test` and `npm run bench`.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const TRACES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../testdata/traces");

export function traceFile(name: string): string {
  return path.join(TRACES_DIR, `${name}.json.gz`);
}
