import { z } from "@hono/zod-openapi";
import { quotePolicies } from "#db/schema/index.ts";
import type { DraftView } from "#domain/posts/drafts.ts";
import { MediaAttachmentSchema, presentAttachment } from "./media-attachment.ts";
import { mastodonVisibility, MastodonVisibilitySchema, PerchVisibilitySchema } from "./visibility.ts";

const StatusParamsSchema = z
  .object({
    text: z.string(),
    thread: z.array(z.string()).openapi({ description: "Perch extension: further posts of a thread, each replying to the one before." }),
    poll: z
      .object({ options: z.array(z.string()), expires_in: z.number().int(), multiple: z.boolean(), hide_totals: z.boolean() })
      .nullable(),
    media_ids: z.array(z.string()).nullable(),
    sensitive: z.boolean(),
    spoiler_text: z.string(),
    visibility: MastodonVisibilitySchema,
    language: z.string().nullable(),
    in_reply_to_id: z.string().nullable(),
    quoted_status_id: z.string().nullable(),
    quote_approval_policy: z.enum(quotePolicies),
    idempotency: z.string().nullable(),
    scheduled_at: z.null().openapi({ description: "Always null: a post is scheduled once." }),
    application_id: z.null(),
    with_rate_limit: z.literal(false),
    perch: z.object({ visibility: PerchVisibilitySchema }).openapi({ description: "Perch's own values (ADR 0019)." }),
  })
  .openapi("StatusParams", { description: "What the post will be published with (Mastodon's ScheduledStatus params)." });

export const ScheduledStatusSchema = z
  .object({
    id: z.string(),
    scheduled_at: z.iso.datetime(),
    params: StatusParamsSchema,
    media_attachments: z.array(MediaAttachmentSchema).openapi({ description: "Kept for this post: no other post may use them." }),
  })
  .openapi("ScheduledStatus", { description: "A post to be published at a future time (Mastodon's ScheduledStatus)." });

export const DraftSchema = z
  .object({
    id: z.string(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    params: StatusParamsSchema,
    media_attachments: z.array(MediaAttachmentSchema).openapi({ description: "Kept for this draft: no other post may use them." }),
    error: z
      .string()
      .nullable()
      .openapi({ description: "Why this post, once scheduled, could not be published at its time; null otherwise." }),
  })
  .openapi("PerchDraft", { description: "Perch extension: a post saved to finish later." });

function presentParams({ draft, media }: DraftView): z.infer<typeof StatusParamsSchema> {
  return {
    text: draft.text,
    thread: draft.thread,
    poll: draft.poll && {
      options: draft.poll.options,
      expires_in: draft.poll.expiresInSeconds,
      multiple: draft.poll.multiple,
      hide_totals: draft.poll.hideTotals,
    },
    media_ids: media.length > 0 ? media.map((attachment) => attachment.id) : null,
    sensitive: draft.sensitive,
    spoiler_text: draft.spoilerText,
    visibility: mastodonVisibility(draft.visibility),
    language: draft.language,
    in_reply_to_id: draft.inReplyToId,
    quoted_status_id: draft.quoteOfId,
    quote_approval_policy: draft.quotePolicy,
    idempotency: draft.idempotencyKey,
    scheduled_at: null,
    application_id: null,
    with_rate_limit: false,
    perch: { visibility: draft.visibility },
  };
}

export function presentScheduledStatus(view: DraftView, origin: string): z.infer<typeof ScheduledStatusSchema> {
  return {
    id: view.draft.id,
    scheduled_at: view.draft.scheduledAt!.toISOString(),
    params: presentParams(view),
    media_attachments: view.media.map((attachment) => presentAttachment(attachment, origin)),
  };
}

export function presentDraft(view: DraftView, origin: string): z.infer<typeof DraftSchema> {
  return {
    id: view.draft.id,
    created_at: view.draft.createdAt.toISOString(),
    updated_at: view.draft.updatedAt.toISOString(),
    params: presentParams(view),
    media_attachments: view.media.map((attachment) => presentAttachment(attachment, origin)),
    error: view.draft.failure,
  };
}
