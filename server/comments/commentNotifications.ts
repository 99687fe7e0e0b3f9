// Who hears about a comment besides the people on the document: the accounts it mentions that
// can open the document ("mention"), and for a reply, the thread's earlier participants that
// are accounts ("reply"); never the actor. Stored and pushed by server/notifications/.
import type { PrismaClient } from "../db/Database.ts";
import { accountRole } from "../access/documentRole.ts";
import { notifyMany, type NotificationInput } from "../notifications/notify.ts";
import type { CommentActor } from "./Comments.ts";

export interface CommentActivity {
  documentId: string;
  threadId: string;
  commentId: string;
  actor: CommentActor;
  /** The comment's text, quoted in the notification. */
  body: string;
  /** Account ids newly mentioned (never the actor). */
  mentioned: string[];
  /** Author ids (accounts or guests) of the thread's earlier comments, for a reply; else empty. */
  participants: string[];
}

export interface CommentNotifier {
  commented(activity: CommentActivity): Promise<void>;
}

export function commentNotifier(prisma: PrismaClient): CommentNotifier {
  return {
    async commented(activity) {
      const { documentId, actor } = activity;
      const candidates = [...new Set([...activity.mentioned, ...activity.participants])].filter((id) => id !== actor.id);
      // Guests' ids are no accounts, and someone without access cannot open the place.
      const roles = await Promise.all(candidates.map(async (id) => [id, await accountRole(prisma, id, documentId)] as const));
      const allowed = new Set(roles.filter(([, role]) => role !== null).map(([id]) => id));
      const base = { documentId, threadId: activity.threadId, commentId: activity.commentId, actorId: actor.accountId, actorName: actor.name, excerpt: activity.body };
      const inputs: NotificationInput[] = [
        ...activity.mentioned.filter((id) => allowed.has(id)).map((recipientId) => ({ ...base, recipientId, kind: "mention" as const })),
        ...activity.participants.filter((id) => allowed.has(id) && !activity.mentioned.includes(id)).map((recipientId) => ({ ...base, recipientId, kind: "reply" as const })),
      ];
      if (inputs.length > 0) await notifyMany(prisma, inputs);
    },
  };
}
