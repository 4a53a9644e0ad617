import { randomBytes } from "node:crypto";
import { appendFileSync, copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";

const freshSecret = () => randomBytes(32).toString("hex");

/**
 * `wrangler dev` reads secrets from .dev.vars. On a fresh checkout it does not exist, so it is made from the committed
 * example with a freshly generated SESSION_SECRET and MESSAGE_ENCRYPTION_KEY: nobody has to edit anything before the
 * first run. A .dev.vars made before messages were encrypted gets the key appended.
 */
export function ensureDevVars(): void {
  if (!existsSync(".dev.vars")) {
    copyFileSync(".dev.vars.example", ".dev.vars");
    const text = readFileSync(".dev.vars", "utf8")
      .replace(/^SESSION_SECRET=.*$/m, `SESSION_SECRET=${freshSecret()}`)
      .replace(/^MESSAGE_ENCRYPTION_KEY=.*$/m, `MESSAGE_ENCRYPTION_KEY=${freshSecret()}`);
    writeFileSync(".dev.vars", text);
    console.log("Created .dev.vars from .dev.vars.example with a new SESSION_SECRET and MESSAGE_ENCRYPTION_KEY.");
    return;
  }
  if (!/^MESSAGE_ENCRYPTION_KEY=/m.test(readFileSync(".dev.vars", "utf8"))) {
    appendFileSync(".dev.vars", `\n# Encrypts direct messages at rest (docs/decisions/0036).\nMESSAGE_ENCRYPTION_KEY=${freshSecret()}\n`);
    console.log("Added a new MESSAGE_ENCRYPTION_KEY to .dev.vars.");
  }
}
