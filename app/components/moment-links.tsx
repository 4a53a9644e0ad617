import { Link } from "@remix-run/react";

/** The moments a profile lists, as a row of links above its tabs (and, for its owner, a way to make one). */
export function MomentLinks({
  username,
  moments,
  isSelf,
}: {
  username: string;
  moments: { id: string; title: string }[];
  isSelf: boolean;
}) {
  if (moments.length === 0 && !isSelf) return null;
  return (
    <nav aria-label={`@${username}'s moments`} className="flex flex-wrap items-center gap-2 border-b border-line px-4 py-2 text-sm">
      <span className="font-semibold">Moments</span>
      {moments.map((moment) => (
        <Link
          key={moment.id}
          to={`/${username}/moments/${moment.id}`}
          className="inline-flex min-h-6 items-center rounded-full border border-line px-3 py-1 hover:bg-raised"
        >
          {moment.title}
        </Link>
      ))}
      {isSelf && (
        <Link to="/moments" className="inline-flex min-h-6 items-center px-1 text-accent underline">
          {moments.length === 0 ? "Make a moment" : "Manage"}
        </Link>
      )}
    </nav>
  );
}
