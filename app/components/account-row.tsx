import { Form, Link } from "@remix-run/react";

export interface AccountRowData {
  id: string;
  username: string;
  displayName: string;
  avatar: string;
}

/** An account in a list of people, with an optional set of small forms (accept, remove, unblock ...). */
export function AccountRow({
  account,
  actions = [],
}: {
  account: AccountRowData;
  actions?: { intent: string; label: string; extra?: Record<string, string> }[];
}) {
  return (
    <li className="flex items-center gap-3 px-4 py-3">
      <img src={account.avatar} alt="" width={48} height={48} className="size-12 rounded-full bg-raised" />
      <Link to={`/${account.username}`} className="min-w-0 flex-1">
        <span className="block truncate font-semibold">{account.displayName}</span>
        <span className="block truncate text-sm text-muted">{`@${account.username}`}</span>
      </Link>
      {actions.map((action) => (
        <Form key={action.intent} method="post">
          <input type="hidden" name="intent" value={action.intent} />
          <input type="hidden" name="accountId" value={account.id} />
          {action.extra &&
            Object.entries(action.extra).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
          <button type="submit" className="rounded-full border border-line px-3 py-1.5 text-sm font-semibold">
            {action.label}
            <span className="sr-only">{` @${account.username}`}</span>
          </button>
        </Form>
      ))}
    </li>
  );
}
