import { getPlatformProxy } from "wrangler";
import { createDatabase } from "#db/client.ts";
import type { DomainContext } from "#domain/context.ts";
import { parseConfig } from "#workers/platform/env.ts";
import { ensureDevVars } from "./dev-vars.ts";

/**
 * The local bindings (D1, R2, ...) that `wrangler dev` uses, opened from Node through wrangler's platform proxy, with
 * a domain context over them: scripts write data through the same domain functions the Worker uses. The proxy's
 * queues have no consumer, so the events scripts commit are left for the running Worker's cron to relay.
 * `persistTo` matches wrangler's --persist-to (the state lives in <persistTo>/v3).
 */
export async function openLocalPlatform(persistTo = ".wrangler/state") {
  // The secrets come from .dev.vars, which a fresh checkout has only after `npm start`: a benchmark may run first.
  ensureDevVars();
  const proxy = await getPlatformProxy<Env>({ persist: { path: `${persistTo}/v3` }, remoteBindings: false });
  const ctx: DomainContext = {
    db: createDatabase(proxy.env.DB),
    env: proxy.env,
    config: parseConfig(proxy.env),
    actor: null,
    afterCommit: () => undefined,
  };
  return { ctx, dispose: () => proxy.dispose() };
}

/** `--persist-to <dir>` from the command line, as wrangler spells it. */
export function persistToArgument(argv = process.argv): string | undefined {
  const index = argv.indexOf("--persist-to");
  return index === -1 ? undefined : argv[index + 1];
}
