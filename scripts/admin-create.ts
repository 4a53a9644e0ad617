import { randomBytes } from "node:crypto";
import { createUser, findUserByUsername, setRole } from "#domain/accounts/users.ts";
import { openLocalPlatform, persistToArgument } from "./local-platform.ts";
import { flag } from "./run.ts";

/**
 * npm run admin:create -- --username NAME [--email ADDRESS] [--password SECRET] [--persist-to DIR]
 * Makes an existing account an admin, or creates a verified admin account (printing a generated password when none
 * is given). Works on the local database; for Cloudflare, run it against a platform proxy with remote bindings.
 */
const username = flag("--username", "");
if (!username) {
  console.error("Usage: npm run admin:create -- --username NAME [--email ADDRESS] [--password SECRET]");
  process.exit(2);
}
const { ctx, dispose } = await openLocalPlatform(persistToArgument());
try {
  const existing = await findUserByUsername(ctx, username);
  if (existing) {
    await setRole(ctx, existing.id, "admin");
    console.log(`@${existing.username} is now an admin.`);
  } else {
    const password = flag("--password", "") || randomBytes(12).toString("base64url");
    const user = await createUser(ctx, {
      username,
      email: flag("--email", `${username.toLowerCase()}@perch.local`),
      displayName: username,
      password,
      role: "admin",
      emailVerified: true,
    });
    console.log(`Created admin @${user.username} <${user.email}> with password: ${password}`);
  }
} finally {
  await dispose();
}
