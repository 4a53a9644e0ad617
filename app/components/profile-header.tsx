import { Form, Link } from "@remix-run/react";
import type { CSSProperties } from "react";
import type { ProfileData } from "#app/presenters/profile.server.ts";
import { pluralOf } from "#app/plural.ts";
import { BellIcon } from "./icons.tsx";
import { RichText } from "./rich-text.tsx";

function ActionButton({
  intent,
  label,
  variant = "secondary",
  extra,
}: {
  intent: string;
  label: string;
  variant?: "primary" | "secondary" | "danger";
  extra?: Record<string, string>;
}) {
  const styles = { primary: "bg-accent text-accent-ink", secondary: "border border-line", danger: "border border-danger text-danger" }[
    variant
  ];
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {extra && Object.entries(extra).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
      <button type="submit" className={`rounded-full px-4 py-1.5 font-semibold ${styles}`}>
        {label}
      </button>
    </Form>
  );
}

/**
 * The bell on an account you follow (or asked to): pressed, you are notified of each of its new posts. A form that
 * sends the state it switches to, so it works without JavaScript and a repeated submit changes nothing.
 */
function BellToggle({ username, on }: { username: string; on: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="bell" />
      <input type="hidden" name="notify" value={on ? "false" : "true"} />
      <button
        type="submit"
        aria-pressed={on}
        aria-label={`Notify me of new posts from @${username}`}
        title={on ? "You are notified of new posts" : "Get notified of new posts"}
        className={`grid size-10 place-items-center rounded-full border ${on ? "border-accent bg-accent-soft text-accent" : "border-line"}`}
      >
        <BellIcon className={on ? "fill-current" : ""} />
      </button>
    </Form>
  );
}

/** The relationship buttons: follow state, the bell, friendship, mute and block, each a real form; and a link to report the account. */
function RelationshipActions({ profile }: { profile: ProfileData }) {
  const r = profile.relationship;
  if (!r) return null;
  if (r.blocking) return <ActionButton intent="unblock" label={`Unblock @${profile.username}`} variant="danger" />;
  return (
    <div className="flex flex-wrap items-center gap-2">
      {r.following ? (
        <ActionButton intent="unfollow" label="Unfollow" />
      ) : r.requested ? (
        <ActionButton intent="unfollow" label="Cancel follow request" />
      ) : (
        <ActionButton intent="follow" label={profile.locked ? "Request to follow" : "Follow"} variant="primary" />
      )}
      {(r.following || r.requested) && <BellToggle username={profile.username} on={r.notifying} />}
      {r.friends ? (
        <ActionButton intent="unfriend" label="Unfriend" />
      ) : r.friendRequestedBy ? (
        <>
          <ActionButton intent="friend" label="Accept friend request" variant="primary" />
          <ActionButton intent="reject-friend" label="Decline" />
        </>
      ) : r.friendRequested ? (
        <ActionButton intent="unfriend" label="Cancel friend request" />
      ) : (
        <ActionButton intent="friend" label="Add friend" />
      )}
      <Form method="post" action="/messages">
        <input type="hidden" name="recipient" value={profile.id} />
        <button type="submit" className="rounded-full border border-line px-4 py-1.5 font-semibold">
          Message
        </button>
      </Form>
      {r.followedBy && <ActionButton intent="remove-follower" label="Remove follower" />}
      {r.muting ? (
        <ActionButton intent="unmute" label="Unmute" />
      ) : (
        <Form method="post" className="flex items-center gap-1">
          <input type="hidden" name="intent" value="mute" />
          <label htmlFor="mute-duration" className="sr-only">
            Mute for
          </label>
          <select id="mute-duration" name="duration" className="rounded-full border border-line bg-surface px-2 py-1.5 text-sm">
            <option value="0">until I unmute</option>
            <option value="3600">1 hour</option>
            <option value="86400">1 day</option>
            <option value="604800">7 days</option>
          </select>
          <button type="submit" className="rounded-full border border-line px-4 py-1.5 font-semibold">
            Mute
          </button>
        </Form>
      )}
      <ActionButton intent="block" label="Block" variant="danger" />
      <Link to={`/${profile.username}/report`} className="rounded-full border border-danger px-4 py-1.5 font-semibold text-danger">
        Report
      </Link>
    </div>
  );
}

const limitedReasons = {
  "sign-in": "Log in to see this profile.",
  followers: "Only approved followers can see this profile.",
  blocking: "You block this account. Unblock it to see its profile.",
} as const;

export function ProfileHeader({ profile, isSelf, canVerify }: { profile: ProfileData; isSelf: boolean; canVerify: boolean }) {
  const accent = profile.accentColor ? ({ "--accent": profile.accentColor } as CSSProperties) : undefined;
  const joined = new Date(profile.joined).toLocaleDateString("en", { month: "long", year: "numeric", timeZone: "UTC" });
  return (
    <section aria-labelledby="profile-name" style={accent}>
      {profile.hasHeader ? (
        <img src={profile.header} alt="" className="aspect-[3/1] w-full bg-raised object-cover" />
      ) : (
        <div className="aspect-[3/1] w-full profile-default-header" />
      )}
      <div className="px-4 pb-4">
        <div className="-mt-12 flex items-end justify-between gap-4">
          <img
            src={profile.avatar}
            alt={`${profile.displayName}'s avatar`}
            width={96}
            height={96}
            className="size-24 rounded-full border-4 border-canvas bg-raised object-cover"
          />
          {isSelf ? (
            <Link to="/settings/profile" className="rounded-full border border-line px-4 py-1.5 font-semibold">
              Edit profile
            </Link>
          ) : (
            <RelationshipActions profile={profile} />
          )}
        </div>
        <h1 id="profile-name" className="mt-3 flex flex-wrap items-center gap-2 text-2xl font-bold">
          {profile.displayName}
          {profile.verified && (
            <span
              className="rounded-full bg-accent px-2 py-0.5 text-xs font-semibold text-accent-ink"
              title="Verified by this server's admins"
            >
              Verified
            </span>
          )}
          {profile.bot && <span className="rounded bg-raised px-1.5 text-xs font-normal text-muted">bot</span>}
          {profile.locked && <span className="rounded bg-raised px-1.5 text-xs font-normal text-muted">private account</span>}
        </h1>
        <p className="text-muted">
          {`@${profile.username}`}
          {profile.relationship?.followedBy && <span className="ml-2 rounded bg-raised px-1.5 text-xs">follows you</span>}
          {profile.relationship?.friends && <span className="ml-2 rounded bg-raised px-1.5 text-xs">friends</span>}
        </p>
        {profile.access.level === "limited" ? (
          <p className="mt-4 rounded-lg bg-raised px-4 py-3">{limitedReasons[profile.access.reason]}</p>
        ) : (
          <>
            {profile.bio.length > 0 && (
              <div className="mt-3">
                <RichText content={profile.bio} />
              </div>
            )}
            {profile.fields.length > 0 && (
              <dl className="mt-3 divide-y divide-line rounded-lg border border-line">
                {profile.fields.map((field) => (
                  <div key={field.name} className="flex gap-4 px-3 py-2">
                    <dt className="w-1/3 font-semibold">{field.name}</dt>
                    <dd className="min-w-0 flex-1">
                      <RichText content={field.value} />
                    </dd>
                  </div>
                ))}
              </dl>
            )}
            <p className="mt-3 flex flex-wrap gap-x-4 text-sm text-muted">
              {profile.location && <span>{profile.location}</span>}
              {profile.website && (
                <a href={profile.website} rel="me nofollow noopener noreferrer" className="text-accent underline">
                  {profile.website.replace(/^https?:\/\//, "")}
                </a>
              )}
              <span>Joined {joined}</span>
            </p>
          </>
        )}
        <ul className="mt-3 flex flex-wrap items-center gap-x-4 text-sm" aria-label="Counts">
          <li>
            <strong>{profile.counts.posts}</strong> {pluralOf(profile.counts.posts, { one: "post", other: "posts" })}
          </li>
          <li>
            <Link to={`/${profile.username}/following`} className="inline-flex min-h-6 items-center py-1 hover:underline">
              <strong>{profile.counts.following}</strong>&nbsp;following
            </Link>
          </li>
          <li>
            <Link to={`/${profile.username}/followers`} className="inline-flex min-h-6 items-center py-1 hover:underline">
              <strong>{profile.counts.followers}</strong>&nbsp;{pluralOf(profile.counts.followers, { one: "follower", other: "followers" })}
            </Link>
          </li>
        </ul>
        {canVerify && !isSelf && (
          <ActionButton
            intent={profile.verified ? "unverify" : "verify"}
            label={profile.verified ? "Remove verified badge" : "Give verified badge"}
          />
        )}
      </div>
    </section>
  );
}
