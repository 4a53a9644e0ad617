import { z } from "@hono/zod-openapi";
import type { DirectConversation } from "#domain/posts/direct-conversations.ts";
import { AccountSchema, presentAccount } from "./account.ts";
import { presentStatus, StatusSchema } from "./status.ts";

/** Mastodon's Conversation: direct posts as one reader sees them (docs/decisions/0045). */
export const ConversationSchema = z
  .object({
    id: z.string(),
    unread: z.boolean().openapi({ description: "A direct post came in since you last marked it read." }),
    accounts: z.array(AccountSchema).openapi({ description: "The other people in it (empty when you mentioned no one)." }),
    last_status: StatusSchema.nullable().openapi({ description: "Its newest post; null when you may no longer see it." }),
  })
  .openapi("Conversation");

export function presentConversation(conversation: DirectConversation, origin: string): z.infer<typeof ConversationSchema> {
  return {
    id: conversation.id,
    unread: conversation.unread,
    accounts: conversation.accounts.map((account) => presentAccount(account, origin)),
    last_status: conversation.lastStatus ? presentStatus(conversation.lastStatus, origin) : null,
  };
}
