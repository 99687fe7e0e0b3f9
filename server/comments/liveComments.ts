// The process's comments service, for the HTTP API's route handlers.
import type { Comments } from "./Comments.ts";
import { processService } from "../processService.ts";

const liveComments = processService<Comments>("comments", "comments");

export const setLiveComments = liveComments.set;
export const clearLiveComments = liveComments.clear;
export const getLiveComments = liveComments.get;
