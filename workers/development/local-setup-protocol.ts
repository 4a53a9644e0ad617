import { z } from "zod";
import { migrationSchema } from "#db/migrate.ts";

/**
 * What `npm start` sends to the Worker's local set-up endpoint and what it answers. Kept apart from the endpoint so
 * the start script can use it without loading the domain.
 */
export const LOCAL_SETUP_PATH = "/__perch/local-setup";

export const localSetupRequest = z.object({ migrations: z.array(migrationSchema) });

export const localSetupResult = z.object({
  applied: z.array(z.string()),
  seeded: z.object({ users: z.number(), posts: z.number() }).nullable(),
  demo: z.object({ username: z.string(), password: z.string() }),
});
export type LocalSetupResult = z.infer<typeof localSetupResult>;
