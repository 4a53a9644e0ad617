import { redirect, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData } from "@remix-run/react";
import { overlayColours, overlayPositions, storyAudiences } from "#db/schema/index.ts";
import { uploadAttachment } from "#domain/media/attachments.ts";
import { createStory } from "#domain/stories/items.ts";
import { storyLimits, videoLimitText } from "#domain/stories/limits.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { Field, FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { formAction, typedValues, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Add to your story");

export function loader({ request, context }: LoaderFunctionArgs) {
  requireViewer(context, request);
  return null;
}

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" && value.trim() ? value : undefined;
};

/**
 * Posts a story from one form, with or without JavaScript: each file chosen is stored as an upload (re-encoded if a
 * picture), then becomes one item of the story, in the order chosen, each with the overlay and stickers. If the story
 * is refused, the form comes back with what was typed (the files are chosen again; uploads left behind are removed
 * within a day).
 */
export const action = formAction(async ({ request, context, form }) => {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const files = form.getAll("media").filter((file): file is File => file instanceof File && file.size > 0);
  if (files.length === 0 || files.length > storyLimits.itemsPerRequest) {
    const problem = files.length === 0 ? "Choose a picture or a video" : `Choose at most ${storyLimits.itemsPerRequest} files`;
    return { formError: problem, fieldErrors: { media: problem }, values: typedValues(form) } satisfies FormProblem;
  }
  const uploads = [];
  for (const file of files) uploads.push(await uploadAttachment(domain, user.id, { bytes: new Uint8Array(await file.arrayBuffer()) }));
  const optionA = text(form, "pollOptionA");
  const optionB = text(form, "pollOptionB");
  const overlay = text(form, "overlayText");
  const [item] = await createStory(domain, {
    mediaIds: uploads.map((upload) => upload.id),
    audience: (text(form, "audience") ?? "everyone") as (typeof storyAudiences)[number],
    altText: text(form, "altText"),
    overlay: overlay
      ? {
          text: overlay,
          position: text(form, "overlayPosition") as (typeof overlayPositions)[number],
          colour: text(form, "overlayColour") as (typeof overlayColours)[number],
        }
      : undefined,
    link: text(form, "link"),
    mention: text(form, "mention"),
    poll: optionA || optionB ? { question: text(form, "pollQuestion"), options: [optionA ?? "", optionB ?? ""] } : undefined,
  });
  return redirect(`/stories/${user.username}/${item!.id}`);
});

const audienceLabels: Record<(typeof storyAudiences)[number], string> = {
  everyone: "Everyone who can see your profile",
  followers: "Followers",
  close_friends: "Close friends",
};

export default function NewStory() {
  const problem = useActionData<typeof action>() as FormProblem | undefined;
  const values = problem?.values ?? {};
  const errors = problem?.fieldErrors ?? {};
  return (
    <>
      <PageHeader title="Add to your story" description="Shown for 24 hours, then kept in your archive if you keep one." back="/" />
      <Form method="post" encType="multipart/form-data" className="flex flex-col gap-4 p-4">
        <FormMessage error={problem?.formError} />
        <Field
          label="Pictures or videos"
          name="media"
          type="file"
          accept="image/*,video/mp4,video/webm,video/quicktime"
          multiple
          required
          error={errors.media}
          hint={`Up to ${storyLimits.itemsPerRequest}, one item each, in the order chosen. Pictures up to ${storyLimits.imageBytes / 1024 / 1024} MB. ${videoLimitText}.`}
        />
        <Field label="Alt text" name="altText" defaultValue={values.altText} hint="Describes the picture for people who cannot see it." />
        <fieldset className="flex flex-col gap-2 rounded-lg border border-line p-3">
          <legend className="px-1 font-medium">Text on the story</legend>
          <Field
            label="Text"
            name="overlayText"
            defaultValue={values.overlayText}
            maxLength={storyLimits.overlayCharacters}
            error={errors.overlay}
          />
          <Choice label="Position" name="overlayPosition" options={overlayPositions} value={values.overlayPosition ?? "bottom"} />
          <Choice label="Colour" name="overlayColour" options={overlayColours} value={values.overlayColour ?? "white"} />
        </fieldset>
        <fieldset className="flex flex-col gap-2 rounded-lg border border-line p-3">
          <legend className="px-1 font-medium">Stickers</legend>
          <Field label="Link" name="link" type="url" defaultValue={values.link} placeholder="https://" error={errors.link} />
          <Field
            label="Mention"
            name="mention"
            defaultValue={values.mention}
            placeholder="@username"
            error={errors.mention}
            hint="They are told, and can share it to their own story."
          />
          <Field label="Poll question" name="pollQuestion" defaultValue={values.pollQuestion} />
          <div className="grid grid-cols-2 gap-2">
            <Field label="First option" name="pollOptionA" defaultValue={values.pollOptionA} error={errors.poll} />
            <Field label="Second option" name="pollOptionB" defaultValue={values.pollOptionB} />
          </div>
        </fieldset>
        <Choice
          label="Who sees it"
          name="audience"
          options={storyAudiences}
          labels={audienceLabels}
          value={values.audience ?? "everyone"}
        />
        <SubmitButton pendingLabel="Posting…">Share to your story</SubmitButton>
      </Form>
    </>
  );
}

function Choice<T extends string>({
  label,
  name,
  options,
  labels,
  value,
}: {
  label: string;
  name: string;
  options: readonly T[];
  labels?: Record<T, string>;
  value: string;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={name} className="font-medium">
        {label}
      </label>
      <select id={name} name={name} defaultValue={value} className="rounded-lg border border-line bg-surface px-3 py-2 text-ink">
        {options.map((option) => (
          <option key={option} value={option}>
            {labels?.[option] ?? option[0]!.toUpperCase() + option.slice(1)}
          </option>
        ))}
      </select>
    </div>
  );
}
