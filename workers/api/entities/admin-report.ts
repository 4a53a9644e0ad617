import { z } from "@hono/zod-openapi";
import { reportCategories } from "#db/schema/index.ts";
import type { ListedAccount } from "#domain/moderation/accounts.ts";
import type { HandledReport } from "#domain/moderation/report-handling.ts";
import type { ReviewedMessage } from "#domain/moderation/review.ts";
import { mastodonCategoryOf, mastodonReportCategories } from "#domain/moderation/reports.ts";
import { AdminAccountSchema, presentAdminAccount } from "./admin-account.ts";
import { ChatAttachmentSchema, presentChatAttachment } from "./chat.ts";
import { presentStatus, StatusSchema } from "./status.ts";

const AdminReportMessageSchema = z
  .object({
    id: z.string(),
    conversation_id: z.string(),
    sender_id: z.string().openapi({ description: "The reported account." }),
    text: z.string().nullable().openapi({
      description:
        "Plain text, decrypted for moderators (chat messages are plain text, as in ChatMessage); null once its sender deleted it.",
    }),
    created_at: z.iso.datetime(),
    moderation: z.enum(["held", "removed"]).nullable().openapi({ description: "What moderation did to it, as in ChatMessage." }),
    sensitive: z.boolean().openapi({ description: "Its attachments are covered as sensitive." }),
    media_attachments: z.array(ChatAttachmentSchema).openapi({
      description: "What it carries, as in ChatMessage; moderators may open the files while the message is under review (ADR 0054).",
    }),
  })
  .openapi("AdminReportPerchMessage", {
    description: "The reported chat message, and nothing else of its conversation (ADR 0054).",
  });

export const AdminReportSchema = z
  .object({
    id: z.string(),
    action_taken: z.boolean(),
    action_taken_at: z.iso.datetime().nullable(),
    category: z.enum(mastodonReportCategories),
    comment: z.string(),
    forwarded: z.boolean(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    account: AdminAccountSchema.openapi({ description: "Who filed it." }),
    target_account: AdminAccountSchema,
    assigned_account: AdminAccountSchema.nullable(),
    action_taken_by_account: AdminAccountSchema.nullable(),
    statuses: z.array(StatusSchema).openapi({ description: "The attached posts, whatever their moderation state." }),
    rules: z.array(z.object({ id: z.string(), text: z.string() })).openapi({ description: "Always empty: this server has no rules." }),
    perch: z
      .object({
        category: z.enum(reportCategories),
        message: AdminReportMessageSchema.nullable().openapi({ description: "The chat message reported, if the report is about one." }),
      })
      .openapi("AdminReportPerch", {
        description:
          "Perch extension (ADR 0019): the report's own, finer category, and the chat message it is about (Mastodon has no such field).",
      }),
  })
  .openapi("Admin_Report", { description: "Mastodon's Admin::Report: a report as moderators handle it." });

/** The ids of the accounts a report names, to read as moderators see them (listedAccounts). */
export const accountIdsOf = ({ report }: HandledReport) =>
  [report.reporterId, report.targetAccountId, report.assignedToId, report.resolvedById].filter((id): id is string => id !== null);

/** A report with the accounts it names; one deleted since (the moderator who resolved it) is null. */
export function presentAdminReport(
  view: HandledReport,
  accounts: Map<string, ListedAccount>,
  origin: string,
): z.infer<typeof AdminReportSchema> {
  const { report } = view;
  const account = (id: string | null) => {
    const found = id ? accounts.get(id) : undefined;
    return found ? presentAdminAccount(found, origin) : null;
  };
  return {
    id: report.id,
    action_taken: report.resolvedAt !== null,
    action_taken_at: report.resolvedAt?.toISOString() ?? null,
    category: mastodonCategoryOf(report.category),
    comment: report.comment,
    forwarded: false,
    created_at: report.createdAt.toISOString(),
    updated_at: (report.resolvedAt ?? report.createdAt).toISOString(),
    account: account(report.reporterId)!,
    target_account: account(report.targetAccountId)!,
    assigned_account: account(report.assignedToId),
    action_taken_by_account: account(report.resolvedById),
    statuses: view.posts.map((post) => presentStatus(post, origin)),
    rules: [],
    perch: { category: report.category, message: view.message && presentReportedMessage(view.message) },
  };
}

function presentReportedMessage(message: ReviewedMessage): z.infer<typeof AdminReportMessageSchema> {
  return {
    id: message.id,
    conversation_id: message.conversationId,
    sender_id: message.sender.id,
    text: message.text,
    created_at: message.createdAt.toISOString(),
    moderation: message.state,
    sensitive: message.sensitive,
    media_attachments: message.attachments.map(presentChatAttachment),
  };
}
