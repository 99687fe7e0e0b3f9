// Loads Prisma's schema engine compiled to WebAssembly, once per process. This replaces the
// native schema-engine binary that `prisma migrate` would download (out of reach here).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

type SchemaEngineClass = typeof SchemaEngine;

const require = createRequire(import.meta.url);

// Kept on globalThis: the wasm glue module holds ONE module-level `wasm` instance, and
// Next.js may load this file twice in one process (route-handler bundle + custom server).
const globalForEngine = globalThis as typeof globalThis & {
  __schemaEngineWasm?: Promise<SchemaEngineClass>;
  PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void };
};

/** The SchemaEngine class, ready for `SchemaEngine.new(...)`; instantiates the wasm on first call. */
export function loadSchemaEngine(): Promise<SchemaEngineClass> {
  globalForEngine.__schemaEngineWasm ??= instantiate().catch((error) => {
    globalForEngine.__schemaEngineWasm = undefined; // let a later call retry
    throw error;
  });
  return globalForEngine.__schemaEngineWasm;
}

async function instantiate(): Promise<SchemaEngineClass> {
  // Quirk: on a Rust panic the glue calls `global.PRISMA_WASM_PANIC_REGISTRY.set_message`,
  // a hook the Prisma CLI installs. Without it a panic surfaces as a TypeError instead.
  globalForEngine.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message(message: string) {
      console.error(`[schema-engine-wasm] panic: ${message}`);
    },
  };
  // Quirk: the package's entry (`schema_engine.js`) does `import * as wasm from "./x.wasm"`,
  // which Node 20 cannot import (no wasm ESM integration). So we instantiate the bytes by
  // hand with the JS glue as the import object, then hand the exports back to the glue.
  // (The .wasm file is not in the package's "exports", so resolve it beside the glue.)
  const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const wasmPath = join(dirname(gluePath), "schema_engine_bg.wasm");
  const bytes = await readFile(wasmPath);
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": withUnrefTimers(bg) });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bg.SchemaEngine as unknown as SchemaEngineClass;
}

// Quirk: the engine arms timers (timeouts around its operations, ~10 s) through the glue's
// `__wbg_setTimeout_<hash>` and never clears them (the glue has no clearTimeout import), so a
// script or test process lingers 10 s after migrating. Unref them: they never do work that
// something else (an open connection, a pending query) is not already keeping alive.
function withUnrefTimers(glue: typeof bg): WebAssembly.ModuleImports {
  const imports: WebAssembly.ModuleImports = { ...(glue as unknown as WebAssembly.ModuleImports) };
  for (const key of Object.keys(imports).filter((k) => k.startsWith("__wbg_setTimeout_"))) {
    imports[key] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
  }
  return imports;
}
