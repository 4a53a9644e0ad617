import { findUserByUsername } from "#domain/accounts/users.ts";
import type { DomainContext } from "#domain/context.ts";
import { DomainError } from "#domain/errors.ts";

/** Usernames as typed ("@ana, ben"): each must name someone, or the form says who could not be found. */
export async function usersNamed(domain: DomainContext, typed: string): Promise<string[]> {
  const names = typed
    .split(/[\s,]+/)
    .map((name) => name.replace(/^@/, "").trim())
    .filter(Boolean);
  if (names.length === 0)
    throw new DomainError("unprocessable", "Name at least one person", { fields: { usernames: "Name at least one person" } });
  const ids: string[] = [];
  for (const name of names) {
    const found = await findUserByUsername(domain, name);
    if (!found) throw new DomainError("unprocessable", `No one is called @${name}`, { fields: { usernames: `No one is called @${name}` } });
    ids.push(found.id);
  }
  return ids;
}
