import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  blockEmail,
  emailBlock,
  emailBlocksFor,
  listEmailBlocks,
  unblockEmail,
  type CanonicalEmailBlock,
} from "#domain/moderation/email-blocks.ts";
import { pageRequestSchema } from "#domain/pagination.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs } from "../authentication.ts";
import { bodyOf, formOrJson } from "../body.ts";
import { errorResponse } from "../entities/error.ts";
import { validationHook } from "../errors.ts";
import { sendPage } from "../link-header.ts";
import { idParam } from "../params.ts";
import { unknownQuery } from "./admin-accounts.ts";

/**
 * Mastodon's canonical email blocks (docs.joinmastodon.org/methods/admin/canonical_email_blocks): addresses nobody may
 * sign up with or change to, kept as the SHA-256 of their canonical form (workers/domain/moderation/email-blocks.ts).
 * Admins only; every change is audit-logged.
 */

const CanonicalEmailBlockSchema = z
  .object({
    id: z.string(),
    canonical_email_hash: z
      .string()
      .openapi({ description: "SHA-256 (hex) of the canonical address: lower case, no dots or +tag before the @." }),
  })
  .openapi("CanonicalEmailBlock");

const present = (block: CanonicalEmailBlock): z.infer<typeof CanonicalEmailBlockSchema> => ({
  id: block.id,
  canonical_email_hash: block.canonicalEmailHash,
});

const refusals = {
  401: errorResponse("No valid token"),
  403: errorResponse("The token lacks the scope, or its user is not an admin"),
};

const one = (description: string) => ({ description, content: { "application/json": { schema: CanonicalEmailBlockSchema } } });

const emailBody = z.object({ email: z.string().trim().min(3).max(254) });
const createBody = z.object({
  email: z.string().optional().openapi({ description: "The address to block (hashed, never stored)." }),
  canonical_email_hash: z.string().optional().openapi({ description: "Or the hash itself." }),
});

export const adminEmailBlockRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/admin/canonical_email_blocks",
      operationId: "adminListCanonicalEmailBlocks",
      tags: ["Admin"],
      summary: "Blocked email addresses (admins)",
      description: "Newest first, a page at a time with Link headers. Unknown parameters are a 400.",
      ...needs(["admin:read:canonical_email_blocks"]),
      request: { query: pageRequestSchema },
      responses: {
        200: { description: "Blocks", content: { "application/json": { schema: z.array(CanonicalEmailBlockSchema) } } },
        400: errorResponse("An unknown parameter or a malformed value"),
        ...refusals,
      },
    }),
    async (c) => {
      const refused = unknownQuery(c, pageRequestSchema);
      if (refused) return refused as never;
      return sendPage(c, await listEmailBlocks(c.var.scope.domain, c.req.valid("query")), present);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/admin/canonical_email_blocks/{id}",
      operationId: "adminGetCanonicalEmailBlock",
      tags: ["Admin"],
      summary: "A blocked email address (admins)",
      description: "The block with its hash; the address itself is never stored.",
      ...needs(["admin:read:canonical_email_blocks"]),
      request: { params: idParam },
      responses: { 200: one("The block"), 404: errorResponse("No such block"), ...refusals },
    }),
    async (c) => c.json(present(await emailBlock(c.var.scope.domain, c.req.valid("param").id)), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/v1/admin/canonical_email_blocks/test",
      operationId: "adminTestCanonicalEmailBlocks",
      tags: ["Admin"],
      summary: "Whether an address is blocked (admins)",
      description: "The blocks the address falls under, its variants with dots or a +tag included: none or one.",
      ...needs(["admin:read:canonical_email_blocks"]),
      request: { body: formOrJson(emailBody) },
      responses: {
        200: { description: "Matching blocks", content: { "application/json": { schema: z.array(CanonicalEmailBlockSchema) } } },
        422: errorResponse("No email"),
        ...refusals,
      },
    }),
    async (c) => {
      const { email } = emailBody.parse(bodyOf(c) ?? {});
      return c.json((await emailBlocksFor(c.var.scope.domain, email)).map(present), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/v1/admin/canonical_email_blocks",
      operationId: "adminBlockEmail",
      tags: ["Admin"],
      summary: "Block an email address (admins)",
      description: "Give `email` or `canonical_email_hash`. Sign-up, provider sign-in and email changes then refuse it (422).",
      ...needs(["admin:write:canonical_email_blocks"]),
      request: { body: formOrJson(createBody) },
      responses: {
        200: one("The new block"),
        409: errorResponse("The address is blocked already"),
        422: errorResponse("Neither or both of email and canonical_email_hash, or a malformed hash"),
        ...refusals,
      },
    }),
    async (c) => {
      const body = bodyOf<z.infer<typeof createBody>>(c) ?? {};
      const block = await blockEmail(c.var.scope.domain, { email: body.email, canonicalEmailHash: body.canonical_email_hash });
      return c.json(present(block), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/api/v1/admin/canonical_email_blocks/{id}",
      operationId: "adminUnblockEmail",
      tags: ["Admin"],
      summary: "Lift an email block (admins)",
      description: "The address may sign up and be changed to again. Recorded in the audit log.",
      ...needs(["admin:write:canonical_email_blocks"]),
      request: { params: idParam },
      responses: {
        200: { description: "Lifted", content: { "application/json": { schema: z.object({}) } } },
        404: errorResponse("No such block"),
        ...refusals,
      },
    }),
    async (c) => {
      await unblockEmail(c.var.scope.domain, c.req.valid("param").id);
      return c.json({}, 200);
    },
  );
