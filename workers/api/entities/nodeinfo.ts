import type { RegistrationsMode } from "#domain/accounts/registrations.ts";
import { z } from "@hono/zod-openapi";
import { MASTODON_API_COMPATIBILITY, PERCH_SOURCE_URL, PERCH_VERSION, type InstanceStats } from "#domain/instance.ts";
import type { DomainContext } from "#domain/context.ts";

export const NODEINFO_21_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.1";
/** The older schema, which some crawlers and clients still read first. */
export const NODEINFO_20_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.0";

export const NodeInfoLinksSchema = z.object({ links: z.array(z.object({ rel: z.string(), href: z.url() })) }).openapi("NodeInfoLinks");

export const NodeInfoSchema = z
  .object({
    version: z.literal("2.1"),
    software: z.object({ name: z.string(), version: z.string(), repository: z.url(), homepage: z.url() }),
    protocols: z.array(z.string()).openapi({
      description: "Empty: Perch speaks Mastodon's client API but does not federate, so it lists no server protocol.",
    }),
    services: z.object({ inbound: z.array(z.string()), outbound: z.array(z.string()) }),
    openRegistrations: z.boolean(),
    usage: z.object({
      users: z.object({ total: z.number().int(), activeMonth: z.number().int() }),
      localPosts: z.number().int(),
    }),
    metadata: z.object({
      nodeName: z.string(),
      nodeDescription: z.string(),
      upstream: z
        .object({ name: z.literal("mastodon"), version: z.string() })
        .openapi({ description: "Tells clients (megalodon's detector among them) to speak Mastodon's API here." }),
    }),
  })
  .openapi("NodeInfo");

/** NodeInfo 2.0: 2.1 without the software's repository and homepage. */
export const NodeInfo20Schema = NodeInfoSchema.extend({
  version: z.literal("2.0"),
  software: NodeInfoSchema.shape.software.pick({ name: true, version: true }),
}).openapi("NodeInfo20");

export function presentNodeInfo(
  ctx: DomainContext,
  stats: InstanceStats,
  registrations: RegistrationsMode,
): z.infer<typeof NodeInfoSchema> {
  return {
    version: "2.1",
    software: {
      name: "perch",
      version: PERCH_VERSION,
      repository: PERCH_SOURCE_URL,
      homepage: PERCH_SOURCE_URL,
    },
    protocols: [],
    services: { inbound: [], outbound: [] },
    openRegistrations: registrations === "open",
    usage: { users: { total: stats.users, activeMonth: stats.activeUsersThisMonth }, localPosts: stats.posts },
    metadata: {
      nodeName: ctx.config.INSTANCE_TITLE,
      nodeDescription: ctx.config.INSTANCE_DESCRIPTION,
      upstream: { name: "mastodon", version: MASTODON_API_COMPATIBILITY },
    },
  };
}

export function presentNodeInfo20(
  ctx: DomainContext,
  stats: InstanceStats,
  registrations: RegistrationsMode,
): z.infer<typeof NodeInfo20Schema> {
  const { software, ...info } = presentNodeInfo(ctx, stats, registrations);
  return { ...info, version: "2.0", software: { name: software.name, version: software.version } };
}
