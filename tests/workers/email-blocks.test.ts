import { desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, users } from "#db/schema/index.ts";
import { makeUser } from "#db/seed/factories.ts";
import { canonicalEmail, canonicalEmailHash } from "#domain/moderation/email-blocks.ts";
import { callApi, getPage, logInAs, postForm, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
const ADMIN_SCOPES = ["read", "write", "admin:read", "admin:write"];
let count = 0;
const person = (role: "user" | "moderator" | "admin" = "user") => makeUser(ctx, { username: `emailblock${(count += 1)}`, role });
const json = (body: unknown): RequestInit => ({
  method: "POST",
  body: JSON.stringify(body),
  headers: { "Content-Type": "application/json" },
});
const signUpWith = (username: string, email: string) =>
  postForm("/signup", { username, email, password: "a long enough password", displayName: username }, { ip: `198.51.100.${200 + count}` });

describe("canonical email blocks", () => {
  it("reduce an address to one canonical form: lower case, no dots or +tag before the @", async () => {
    expect(canonicalEmail("  A.Lice+news@Example.COM ")).toBe("alice@example.com");
    expect(canonicalEmail("a.l.i.c.e@example.com")).toBe(canonicalEmail("alice+x+y@example.com"));
    expect(canonicalEmail("alice@ex.ample.com")).toBe("alice@ex.ample.com");
    expect(await canonicalEmailHash("Alice@example.com")).toMatch(/^[0-9a-f]{64}$/);
    expect(await canonicalEmailHash("Alice@example.com")).not.toBe(await canonicalEmailHash("bob@example.com"));
  });

  it("let an admin block an address, refuse sign-up with any variant of it inline, and lift it again, audit-logged", async () => {
    const admin = await person("admin");
    const token = await tokenFor(admin.id, ADMIN_SCOPES);
    const created = await callApi("/api/v1/admin/canonical_email_blocks", token, json({ email: "Spam.Mer+1@blocked.example" }));
    expect(created.response.status).toBe(200);
    expect(created.body).toEqual({ id: expect.any(String), canonical_email_hash: await canonicalEmailHash("spammer@blocked.example") });
    const again = await callApi("/api/v1/admin/canonical_email_blocks", token, json({ email: "spammer@blocked.example" }));
    expect(again.response.status).toBe(409);
    expect(again.body.error).toEqual(expect.any(String));

    const tested = await callApi("/api/v1/admin/canonical_email_blocks/test", token, json({ email: "s.p.a.m.m.e.r+x@BLOCKED.example" }));
    expect(tested.body).toEqual([created.body]);
    expect((await callApi("/api/v1/admin/canonical_email_blocks/test", token, json({ email: "other@blocked.example" }))).body).toEqual([]);
    expect((await callApi(`/api/v1/admin/canonical_email_blocks/${created.body.id}`, token)).body).toEqual(created.body);
    const listed = await callApi("/api/v1/admin/canonical_email_blocks?limit=40", token);
    expect(listed.body).toContainEqual(created.body);

    const refused = await signUpWith("blockedsignup", "spam.mer+again@blocked.example");
    expect(refused.status).toBe(422);
    const page = await refused.text();
    expect(page).toContain("This email address cannot be used here");
    expect(page).toContain("blockedsignup");
    expect(await ctx.db.query.users.findFirst({ where: eq(users.username, "blockedsignup") })).toBeUndefined();

    expect((await callApi(`/api/v1/admin/canonical_email_blocks/${created.body.id}`, token, { method: "DELETE" })).response.status).toBe(
      200,
    );
    expect((await callApi(`/api/v1/admin/canonical_email_blocks/${created.body.id}`, token)).response.status).toBe(404);
    expect((await signUpWith("unblockedsignup", "spam.mer+again@blocked.example")).status).toBe(302);

    const audit = await ctx.db.select().from(auditLog).where(eq(auditLog.moderatorId, admin.id)).orderBy(desc(auditLog.id));
    expect(audit.map((entry) => [entry.action, entry.targetKind, entry.targetId])).toEqual([
      ["unblock_email", "email_block", created.body.canonical_email_hash],
      ["block_email", "email_block", created.body.canonical_email_hash],
    ]);
  });

  it("refuse a body with neither or both of email and hash, or a malformed hash (422), and an unknown id (404)", async () => {
    const token = await tokenFor((await person("admin")).id, ADMIN_SCOPES);
    for (const body of [{}, { email: "a@b.example", canonical_email_hash: "0".repeat(64) }, { canonical_email_hash: "not-a-hash" }]) {
      const { response, body: answer } = await callApi("/api/v1/admin/canonical_email_blocks", token, json(body));
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(answer.error).toEqual(expect.any(String));
    }
    const byHash = await callApi("/api/v1/admin/canonical_email_blocks", token, json({ canonical_email_hash: "A".repeat(64) }));
    expect(byHash.body.canonical_email_hash).toBe("a".repeat(64));
    expect((await callApi("/api/v1/admin/canonical_email_blocks/1", token, { method: "DELETE" })).response.status).toBe(404);
  });

  it("answer 403 to moderators and members, even with admin scopes, and to tokens without them; 401 without a token", async () => {
    const admin = await person("admin");
    const block = await callApi(
      "/api/v1/admin/canonical_email_blocks",
      await tokenFor(admin.id, ADMIN_SCOPES),
      json({ email: "x@perm.example" }),
    );
    const narrow = await tokenFor(admin.id, ["read", "write"]);
    for (const role of ["user", "moderator"] as const) {
      const token = await tokenFor((await person(role)).id, ADMIN_SCOPES);
      for (const [path, init] of [
        ["/api/v1/admin/canonical_email_blocks", {}],
        [`/api/v1/admin/canonical_email_blocks/${block.body.id}`, {}],
        ["/api/v1/admin/canonical_email_blocks/test", json({ email: "x@perm.example" })],
        ["/api/v1/admin/canonical_email_blocks", json({ email: "y@perm.example" })],
        [`/api/v1/admin/canonical_email_blocks/${block.body.id}`, { method: "DELETE" }],
      ] as [string, RequestInit][]) {
        const label = `${init.method ?? "GET"} ${path}`;
        expect((await callApi(path, token, init)).response.status, `${label} as a ${role}`).toBe(403);
        expect((await callApi(path, narrow, init)).response.status, `${label} without admin scopes`).toBe(403);
        expect((await callApi(path, null, init)).response.status, `${label} without a token`).toBe(401);
      }
    }
    expect(
      (await callApi(`/api/v1/admin/canonical_email_blocks/${block.body.id}`, await tokenFor(admin.id, ADMIN_SCOPES))).response.status,
    ).toBe(200);
  });

  it("are managed on /admin/email-blocks: block with an inline refusal that keeps the address, check, unblock", async () => {
    const admin = await makeUser(ctx, { username: "emailblockpages", role: "admin", password: "a long enough password" });
    const cookie = await logInAs(admin, "a long enough password", "198.51.100.90");
    const blocked = await postForm("/admin/email-blocks", { intent: "block", email: "Page.Spam+a@blocked.example" }, { cookie });
    expect(blocked.status).toBe(200);
    expect(await blocked.text()).toContain("Blocked: that address and its variants");
    const twice = await postForm("/admin/email-blocks", { intent: "block", email: "pagespam@blocked.example" }, { cookie });
    expect(twice.status).toBe(409);
    const refusal = await twice.text();
    expect(refusal).toContain("That address is blocked already");
    expect(refusal).toContain('value="pagespam@blocked.example"');

    const checked = await getPage(`/admin/email-blocks?check=${encodeURIComponent("pagespam+z@Blocked.example")}`, cookie);
    expect(checked.html).toContain("pagespam+z@Blocked.example is blocked.");
    const hash = await canonicalEmailHash("pagespam@blocked.example");
    expect(checked.html).toContain(hash.slice(0, 12));
    const block = await ctx.db.query.canonicalEmailBlocks.findFirst({ where: (blocks, { eq }) => eq(blocks.canonicalEmailHash, hash) });
    expect((await postForm("/admin/email-blocks", { intent: "unblock", id: block!.id }, { cookie })).status).toBe(200);
    const after = await getPage(`/admin/email-blocks?check=${encodeURIComponent("pagespam@blocked.example")}`, cookie);
    expect(after.html).toContain("pagespam@blocked.example is not blocked.");
    expect(after.html).not.toContain(hash.slice(0, 12));
  });
});
