import type { Database } from "#db/client.ts";
import type { Config } from "#workers/platform/env.ts";

/**
 * What every domain function receives from its door: the database, the bindings and the validated configuration.
 * The acting user joins it when accounts exist. Domain functions return plain data and never see a Request.
 */
export interface DomainContext {
  db: Database;
  env: Env;
  config: Config;
}
