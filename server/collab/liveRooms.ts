// The process's loaded documents (the collab server's Rooms), for code outside the collab
// server that must read or change a live document: the content API's route handlers.
import type { Rooms } from "./Rooms.ts";
import { processService } from "../processService.ts";

const liveRooms = processService<Rooms>("rooms", "collab server");

export const setLiveRooms = liveRooms.set;
export const clearLiveRooms = liveRooms.clear;
export const getLiveRooms = liveRooms.get;
