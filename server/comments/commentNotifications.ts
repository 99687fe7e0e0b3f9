// Who hears about a comment besides the people on the document: those it mentions and, for a
// reply, the thread's earlier participants (the actor excluded). Delivered by the in-app
// notification centre (server/notifications/) when it is there; see CommentNotifier.
import type { CommentActor } from "./Comments.ts";

export interface CommentActivity {
  documentId: string;
  threadId: string;
  commentId: string;
  actor: CommentActor;
  /** Account ids newly mentioned (never the actor). */
  mentioned: string[];
  /** Author ids (accounts or guests) of the thread's earlier comments, for a reply; else empty. */
  participants: string[];
}

export interface CommentNotifier {
  commented(activity: CommentActivity): Promise<void>;
}

/** SEAM: notifications are not wired yet; comments work without them. */
export const noCommentNotifications: CommentNotifier = {
  async commented() {},
};
