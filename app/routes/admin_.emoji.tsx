import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import {
  addCustomEmoji,
  allCustomEmojis,
  customEmojiLimits,
  customEmojiPath,
  deleteCustomEmoji,
  setCustomEmojiDisabled,
} from "#domain/custom-emojis.ts";
import { requirePermission } from "#app/auth/viewer.server.ts";
import { AdminNav, AdminSection } from "#app/components/admin.tsx";
import { Field, FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Custom emoji · Admin");

/** The server's emoji: admins only (update:instance:any), checked on the server. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "access:admin");
  const emojis = await allCustomEmojis(context.scope.domain);
  return {
    emojis: emojis.map((emoji) => ({
      id: emoji.id,
      shortcode: emoji.shortcode,
      url: customEmojiPath(emoji),
      category: emoji.category,
      disabled: emoji.disabled,
    })),
  };
}

export const action = formAction(async ({ request, context, form }) => {
  requirePermission(context, request, "access:admin");
  const { domain } = context.scope;
  const id = String(form.get("id") ?? "");
  switch (form.get("intent")) {
    case "add": {
      const file = form.get("image");
      const bytes = file instanceof File ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
      const emoji = await addCustomEmoji(
        domain,
        { shortcode: String(form.get("shortcode") ?? ""), category: String(form.get("category") ?? "") },
        bytes,
      );
      return { notice: `:${emoji.shortcode}: added.` };
    }
    case "disable":
    case "enable":
      await setCustomEmojiDisabled(domain, id, form.get("intent") === "disable");
      return { notice: form.get("intent") === "disable" ? "Emoji disabled." : "Emoji enabled." };
    case "delete":
      await deleteCustomEmoji(domain, id);
      return { notice: "Emoji deleted." };
  }
  throw new Response("Unknown action", { status: 400 });
});

export default function AdminEmoji() {
  const { emojis } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as (Partial<FormProblem> & { notice?: string }) | undefined;
  const errors = result?.fieldErrors;
  const adding = result?.values?.intent === "add";
  return (
    <>
      <PageHeader title="Custom emoji" back="/admin" description="Written :shortcode: in posts; apps list them too." />
      <AdminNav current="/admin/emoji" isAdmin />
      <div className="px-4 pt-3">
        <FormMessage error={result?.formError} notice={result?.notice} />
      </div>
      <AdminSection id="add-emoji-heading" title="Add an emoji">
        <Form method="post" encType="multipart/form-data" className="mt-2 flex flex-col gap-3">
          <input type="hidden" name="intent" value="add" />
          <Field
            label="Shortcode"
            name="shortcode"
            required
            maxLength={30}
            pattern="[A-Za-z0-9_]{2,30}"
            hint="2 to 30 letters, digits or underscores; written :like_this: in posts."
            defaultValue={adding ? result?.values?.shortcode : undefined}
            error={adding ? errors?.shortcode : undefined}
          />
          <Field
            label="Image"
            name="image"
            type="file"
            required
            accept={customEmojiLimits.types.join(",")}
            hint={`PNG, GIF or WebP, at most ${customEmojiLimits.maxBytes / 1024} KB and ${customEmojiLimits.maxSide} pixels a side.`}
            error={adding ? errors?.image : undefined}
          />
          <Field
            label="Category (optional)"
            name="category"
            maxLength={50}
            defaultValue={adding ? result?.values?.category : undefined}
            error={adding ? errors?.category : undefined}
          />
          <div>
            <SubmitButton intent="add">Add emoji</SubmitButton>
          </div>
        </Form>
      </AdminSection>
      <AdminSection
        id="emoji-heading"
        title={`Emoji (${emojis.length})`}
        isEmpty={emojis.length === 0}
        empty="This server has no custom emoji yet."
      >
        <ul className="mt-2 flex flex-col gap-2">
          {emojis.map((emoji) => (
            <li key={emoji.id} className="flex flex-wrap items-center gap-3 rounded-lg border border-line p-2">
              <img src={emoji.url} alt="" width={32} height={32} className="size-8 object-contain" />
              <span className="font-mono">:{emoji.shortcode}:</span>
              {emoji.category && <span className="text-sm text-muted">{emoji.category}</span>}
              {emoji.disabled && <span className="text-sm font-medium">disabled</span>}
              <Form method="post" className="ml-auto flex gap-2">
                <input type="hidden" name="id" value={emoji.id} />
                <button
                  type="submit"
                  name="intent"
                  value={emoji.disabled ? "enable" : "disable"}
                  className="min-h-11 rounded-full border border-line px-4"
                >
                  {emoji.disabled ? "Enable" : "Disable"}
                  <span className="sr-only"> :{emoji.shortcode}:</span>
                </button>
                <button type="submit" name="intent" value="delete" className="min-h-11 rounded-full border border-danger px-4 text-danger">
                  Delete<span className="sr-only"> :{emoji.shortcode}:</span>
                </button>
              </Form>
            </li>
          ))}
        </ul>
      </AdminSection>
    </>
  );
}
