import type { DomainContext } from "#domain/context.ts";
import { peopleIn } from "#domain/messages/conversations.ts";
import { groupPicturePath } from "#domain/messages/group-pictures.ts";
import { avatarPath } from "#domain/profiles/profile.ts";

/**
 * The people of some conversations, read at once: each one's name (display name, else username, else the fallback) and
 * avatar (the default for someone unknown, or whose profile is held).
 */
export async function conversationPeople(domain: DomainContext, userIds: string[], fallback = "Someone") {
  const people = await peopleIn(domain, [...new Set(userIds)]);
  const find = (id: string) => people.find((p) => p.id === id);
  return {
    nameOf: (id: string) => {
      const person = find(id);
      return person ? person.displayName || person.username : fallback;
    },
    avatarOf: (id: string) => avatarPath({ avatarKey: find(id)?.avatarKey ?? null }),
  };
}

/**
 * The picture a conversation is shown with: a group's own, else (between two) the other person's avatar; a group
 * without one has none.
 */
export function conversationPicture(
  conversation: { kind: string; pictureKey: string | null },
  memberIds: string[],
  viewerId: string,
  avatarOf: (id: string) => string,
): string | null {
  if (conversation.pictureKey) return groupPicturePath(conversation.pictureKey, "96");
  const other = memberIds.find((id) => id !== viewerId);
  return conversation.kind === "direct" && other ? avatarOf(other) : null;
}

/** What a conversation is called for its reader: its name, else the other members' names ("Just you" when alone). */
export function conversationTitle(
  conversation: { name: string | null },
  memberIds: string[],
  viewerId: string,
  nameOf: (id: string) => string,
): string {
  return (
    conversation.name ??
    (memberIds
      .filter((id) => id !== viewerId)
      .map(nameOf)
      .join(", ") ||
      "Just you")
  );
}
