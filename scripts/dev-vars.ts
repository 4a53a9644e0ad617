import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";

/**
 * `wrangler dev` reads secrets from .dev.vars. On a fresh checkout it does not exist, so it is made from the committed
 * example with a freshly generated SESSION_SECRET: nobody has to edit anything before the first run.
 */
export function ensureDevVars(): void {
  if (existsSync(".dev.vars")) return;
  copyFileSync(".dev.vars.example", ".dev.vars");
  const secret = randomBytes(32).toString("hex");
  writeFileSync(".dev.vars", readFileSync(".dev.vars", "utf8").replace(/^SESSION_SECRET=.*$/m, `SESSION_SECRET=${secret}`));
  console.log("Created .dev.vars from .dev.vars.example with a new SESSION_SECRET.");
}
