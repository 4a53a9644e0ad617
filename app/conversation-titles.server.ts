import type { DomainContext } from "#domain/context.ts";
import { peopleIn } from "#domain/messages/conversations.ts";

/** Names of the people in some conversations, read at once: display name, else username, else the fallback. */
export async function conversationNames(domain: DomainContext, userIds: string[], fallback = "Someone"): Promise<(id: string) => string> {
  const people = await peopleIn(domain, [...new Set(userIds)]);
  return (id) => {
    const person = people.find((p) => p.id === id);
    return person ? person.displayName || person.username : fallback;
  };
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
