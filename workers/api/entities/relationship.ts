import { z } from "@hono/zod-openapi";
import { asSeenByViewer, type Relationship } from "#domain/graph/relationships.ts";

export const RelationshipSchema = z
  .object({
    id: z.string(),
    following: z.boolean(),
    showing_reblogs: z.boolean(),
    notifying: z.boolean().openapi({ description: "You are notified of their new posts (the bell; `notify` when following)." }),
    languages: z.array(z.string()).nullable(),
    followed_by: z.boolean(),
    blocking: z.boolean(),
    blocked_by: z.boolean(),
    muting: z.boolean(),
    muting_notifications: z.boolean(),
    requested: z.boolean(),
    requested_by: z.boolean(),
    domain_blocking: z.boolean(),
    endorsed: z.boolean(),
    note: z.string(),
    friends: z.boolean().openapi({ description: "Perch extension: you are friends (mutual)." }),
    friend_requested: z.boolean().openapi({ description: "Perch extension: you asked them to be friends." }),
    friend_requested_by: z.boolean().openapi({ description: "Perch extension: they asked you to be friends." }),
  })
  .openapi("Relationship");

export function presentRelationship(actual: Relationship): z.infer<typeof RelationshipSchema> {
  const relationship = asSeenByViewer(actual);
  return {
    id: relationship.id,
    following: relationship.following,
    showing_reblogs: relationship.following,
    notifying: relationship.notifying,
    languages: null,
    followed_by: relationship.followedBy,
    blocking: relationship.blocking,
    blocked_by: relationship.blockedBy,
    muting: relationship.muting,
    muting_notifications: relationship.mutingNotifications,
    requested: relationship.requested,
    requested_by: relationship.requestedBy,
    domain_blocking: false,
    endorsed: false,
    note: "",
    friends: relationship.friends,
    friend_requested: relationship.friendRequested,
    friend_requested_by: relationship.friendRequestedBy,
  };
}
