import { defineConfig } from "drizzle-kit";

// Migrations are generated here and applied by wrangler (`npm run db:migrate`), locally and in Cloudflare alike.
export default defineConfig({
  dialect: "sqlite",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
});
