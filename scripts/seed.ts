import { count } from "drizzle-orm";
import { users } from "#db/schema/index.ts";
import { seedDemo } from "#db/seed/demo.ts";
import { openLocalPlatform, persistToArgument } from "./local-platform.ts";

/**
 * npm run db:seed [-- --if-empty] [-- --persist-to <dir>]
 * Writes the deterministic demo data into the local database. Safe to run twice: rows that exist are left alone.
 * With --if-empty it does nothing when any user exists (what `npm start` uses, so your own data is never touched).
 */
const started = performance.now();
const { ctx, dispose } = await openLocalPlatform(persistToArgument());
try {
  const [existing] = await ctx.db.select({ value: count() }).from(users);
  if (process.argv.includes("--if-empty") && (existing?.value ?? 0) > 0) {
    console.log(`Database already has ${existing?.value} users; leaving it as it is.`);
  } else {
    const result = await seedDemo(ctx);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`Demo data ready: ${result.users} users, ${result.posts} new posts (${seconds} s).`);
  }
} finally {
  await dispose();
}
