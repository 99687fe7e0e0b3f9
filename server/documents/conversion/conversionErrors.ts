// Why a conversion did not produce a result. Keyed on `code`, not on the class: route handlers
// are bundled by Next separately from the server that owns the pool, so `instanceof` would
// compare two copies of the class.

/** - `unreadable`: the input is not a document of our schema (the caller answers 400);
 *  - `busy`: every worker is working and the queue is full (503, try again shortly);
 *  - `failed`: the worker stopped (crashed, ran out of memory, or took too long) (500). */
export type ConversionErrorCode = "unreadable" | "busy" | "failed";

export class ConversionError extends Error {
  constructor(
    readonly code: ConversionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ConversionError";
  }
}

/** The code of a ConversionError from either copy of the class, or null for anything else. */
export function conversionErrorCode(error: unknown): ConversionErrorCode | null {
  if (error instanceof Error && error.name === "ConversionError") return (error as ConversionError).code;
  return null;
}
