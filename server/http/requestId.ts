// A short id per HTTP request, so the lines logged about one request can be found together and
// a user's report ("it said 413, request 3f9a…") leads to them. Set by the server on the
// request (replacing any the client sent: ids in our logs are ours) and on the response.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export const REQUEST_ID_HEADER = "x-request-id";

export function stampRequestId(request: IncomingMessage, response: ServerResponse): string {
  const id = randomBytes(6).toString("hex");
  request.headers[REQUEST_ID_HEADER] = id;
  response.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** The id stampRequestId gave `request` (empty before it ran). */
export function requestIdOf(request: IncomingMessage): string {
  const id = request.headers[REQUEST_ID_HEADER];
  return typeof id === "string" ? id : "";
}
