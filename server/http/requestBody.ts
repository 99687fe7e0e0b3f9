// JSON request bodies checked against a zod schema instead of field by field in each route
// handler. A body that fails answers the API's 400 `bad_request` with the first problem: the
// schemas give their checks messages that name the field (the ones clients show); a check
// without one gets zod's message prefixed with the field's path ("expiresInDays: Too big: ...").
import { z } from "zod";
import { containsControlCharacter } from "../../lib/text/controlCharacters.ts";
import { controlCharactersMessage, errorResponse, readJsonBody } from "../documents/documentHttp.ts";

export type ParsedBody<T> = { ok: true; body: T } | { ok: false; response: Response };

const english = z.locales.en();

/** zod's own message, naming the field it is about; used only where the schema gives none. */
const namingTheField: z.core.$ZodErrorMap = (issue) => {
  const own = english.localeError(issue);
  const message = typeof own === "string" ? own : (own?.message ?? "Invalid input.");
  const path = issue.path?.map(String).join(".");
  return path ? `${path}: ${message}` : message;
};

/** `value` checked against `schema`: the parsed value, or the 400 to answer. */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown): ParsedBody<z.output<S>> {
  const parsed = schema.safeParse(value, { error: namingTheField });
  if (parsed.success) return { ok: true, body: parsed.data };
  return { ok: false, response: errorResponse("bad_request", parsed.error.issues[0]?.message ?? "Invalid request body.") };
}

/** The request's JSON body checked against `schema`. A body that is not JSON or not an object
 *  reaches the schema as null, so the object schema's own message answers it. */
export async function readBody<S extends z.ZodType>(request: Request, schema: S): Promise<ParsedBody<z.output<S>>> {
  return parseBody(schema, await readJsonBody(request));
}

/** A JSON object with any fields, which the handler (or a parser shared with the socket) checks. */
export function anyObject(message: string) {
  return z.looseObject({}, { error: message });
}

/** For `.check()` on a string that must not reach the database with a control character (see
 *  refuseControlCharacters); after any `.trim()`, which may take off a trailing line break. */
export function withoutControlCharacters(field: string) {
  return z.refine<string>((value) => !containsControlCharacter(value), { error: controlCharactersMessage(field) });
}
