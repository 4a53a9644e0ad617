import type { DomainContext } from "#domain/context.ts";
import { DomainError } from "#domain/errors.ts";
import { viewAccount, type AccountView } from "#domain/profiles/access.ts";
import { notFound } from "./responses.server.ts";

/** An account as this viewer may know it, for a page; missing and blocking-the-viewer are the same 404 page. */
export async function accountOrNotFound(domain: DomainContext, viewerId: string | null, username: string): Promise<AccountView> {
  try {
    return await viewAccount(domain, viewerId, { username });
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found") throw notFound("There is no one here by that name.");
    throw error;
  }
}
