import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { setProfileImage, type ProfileImageKind } from "#domain/media/profile-images.ts";
import { backgroundPath, headerPath } from "#domain/profiles/profile.ts";
import { MAX_PROFILE_FIELDS, updateProfile } from "#domain/profiles/settings.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { Field, FormMessage, SubmitButton } from "#app/components/forms.tsx";
import { ImageInput } from "#app/components/image-input.tsx";
import { SettingsSection } from "#app/components/settings-section.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { sizedAvatar } from "#app/presenters/profile.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Edit profile");

export function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  return {
    username: user.username,
    displayName: user.displayName,
    bio: user.bio,
    location: user.location,
    website: user.website,
    accentColor: user.accentColor ?? "#4338ca",
    bot: user.bot,
    fields: Array.from({ length: MAX_PROFILE_FIELDS }, (_, index) => user.fields[index] ?? { name: "", value: "" }),
    avatar: user.avatarKey ? sizedAvatar(user, "400") : null,
    header: user.headerKey ? headerPath(user) : null,
    background: backgroundPath(user),
    held: user.profileModerationState === "held",
    picturesSensitive: user.picturesSensitive,
  };
}

const kinds: ProfileImageKind[] = ["avatar", "header", "background"];

/** Saves the whole form; without JavaScript the chosen pictures come with it (multipart). */
export const action = formAction(async ({ request, context, form }) => {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  for (const kind of kinds) {
    const file = form.get(kind);
    if (file instanceof File && file.size > 0) await setProfileImage(domain, user.id, kind, new Uint8Array(await file.arrayBuffer()));
    else if (form.get(`remove-${kind}`) === "1") await setProfileImage(domain, user.id, kind, null);
  }
  await updateProfile(domain, user.id, {
    displayName: String(form.get("displayName") ?? ""),
    bio: String(form.get("bio") ?? ""),
    location: String(form.get("location") ?? ""),
    website: String(form.get("website") ?? ""),
    accentColor: String(form.get("accentColor") ?? ""),
    bot: form.get("bot") === "on",
    fields: Array.from({ length: MAX_PROFILE_FIELDS }, (_, index) => ({
      name: String(form.get(`field-name-${index}`) ?? ""),
      value: String(form.get(`field-value-${index}`) ?? ""),
    })),
  });
  return { saved: true as const };
});

export default function EditProfile() {
  const profile = useLoaderData<typeof loader>();
  const result = useActionData<FormProblem | { saved: true }>();
  const problem = result && "fieldErrors" in result ? result : undefined;
  const value = (name: keyof typeof profile & string, fallback: string) => problem?.values[name] ?? fallback;
  return (
    <Form method="post" encType="multipart/form-data" noValidate>
      {profile.held && (
        <p className="mx-4 mt-3 rounded-lg border border-danger px-3 py-2 text-sm">
          Your profile is held for review: until a moderator decides, others see your username and default pictures instead of what you
          wrote and chose here.
        </p>
      )}
      {profile.picturesSensitive && !profile.held && (
        <p className="mx-4 mt-3 rounded-lg border border-danger px-3 py-2 text-sm">
          Moderation found your pictures sensitive: others see the default pictures instead until you choose new ones.
        </p>
      )}
      <FormMessage
        error={problem?.formError ?? (problem ? "Some fields need another look." : undefined)}
        notice={result && "saved" in result ? "Profile saved." : undefined}
      />
      <SettingsSection
        id="pictures-heading"
        title="Pictures"
        description="JPEG, PNG, GIF, WebP or AVIF. Avatars and headers up to 4 MB, backgrounds up to 8 MB."
      >
        <ImageInput name="avatar" uploadTo="/settings/profile/images" label="Avatar" current={profile.avatar} shape="round" />
        <ImageInput name="header" uploadTo="/settings/profile/images" label="Header" current={profile.header} shape="wide" />
        <ImageInput
          name="background"
          uploadTo="/settings/profile/images"
          label="Profile background"
          current={profile.background}
          shape="wide"
        />
      </SettingsSection>
      <SettingsSection id="about-heading" title="About you">
        <Field
          label="Display name"
          name="displayName"
          maxLength={50}
          defaultValue={value("displayName", profile.displayName)}
          error={problem?.fieldErrors.displayName}
        />
        <div className="flex flex-col gap-1.5">
          <label htmlFor="bio" className="font-medium">
            Bio
          </label>
          <textarea
            id="bio"
            name="bio"
            rows={4}
            maxLength={500}
            defaultValue={problem?.values.bio ?? profile.bio}
            className="rounded-lg border border-line bg-surface px-3 py-2"
            aria-describedby="bio-hint"
          />
          <p id="bio-hint" className="text-sm text-muted">
            Mentions, #hashtags and links become links.
          </p>
        </div>
        <Field
          label="Location"
          name="location"
          maxLength={60}
          defaultValue={value("location", profile.location)}
          error={problem?.fieldErrors.location}
        />
        <Field
          label="Website"
          name="website"
          type="url"
          maxLength={200}
          defaultValue={value("website", profile.website)}
          error={problem?.fieldErrors.website}
          hint="Starting with https://"
        />
        <fieldset className="flex flex-col gap-2">
          <legend className="font-medium">Profile fields (up to {MAX_PROFILE_FIELDS})</legend>
          {profile.fields.map((field, index) => (
            <div key={index} className="grid grid-cols-2 gap-2">
              <label className="sr-only" htmlFor={`field-name-${index}`}>
                Field {index + 1} name
              </label>
              <input
                id={`field-name-${index}`}
                name={`field-name-${index}`}
                placeholder="Label"
                maxLength={30}
                defaultValue={problem?.values[`field-name-${index}`] ?? field.name}
                className="rounded-lg border border-line bg-surface px-3 py-2"
              />
              <label className="sr-only" htmlFor={`field-value-${index}`}>
                Field {index + 1} value
              </label>
              <input
                id={`field-value-${index}`}
                name={`field-value-${index}`}
                placeholder="Content"
                maxLength={200}
                defaultValue={problem?.values[`field-value-${index}`] ?? field.value}
                className="rounded-lg border border-line bg-surface px-3 py-2"
              />
            </div>
          ))}
          {problem?.fieldErrors.fields && <p className="text-sm font-medium text-danger">{problem.fieldErrors.fields}</p>}
        </fieldset>
        <div className="flex items-center gap-3">
          <label htmlFor="accentColor" className="font-medium">
            Accent colour
          </label>
          <input
            id="accentColor"
            name="accentColor"
            type="color"
            defaultValue={profile.accentColor}
            className="h-10 w-16 rounded border border-line"
          />
        </div>
        <label className="flex items-center gap-2">
          <input type="checkbox" name="bot" defaultChecked={profile.bot} /> This account is a bot
        </label>
        <div>
          <SubmitButton pendingLabel="Saving…">Save profile</SubmitButton>
        </div>
        <a href={`/${profile.username}`} className="text-accent underline">
          See your profile
        </a>
      </SettingsSection>
    </Form>
  );
}
