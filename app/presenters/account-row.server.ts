import type { PublicUser } from "#domain/profiles/profile.ts";
import type { AccountRowData } from "#app/components/account-row.tsx";
import { sizedAvatar } from "./profile.server.ts";

export function presentAccountRow(account: PublicUser): AccountRowData {
  return {
    id: account.id,
    username: account.username,
    displayName: account.displayName || account.username,
    avatar: sizedAvatar(account, "96"),
  };
}
