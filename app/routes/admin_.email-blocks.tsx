import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { blockEmail, emailBlocksFor, listEmailBlocks, unblockEmail } from "#domain/moderation/email-blocks.ts";
import { requirePermission } from "#app/auth/viewer.server.ts";
import { AdminNav, AdminSection } from "#app/components/admin.tsx";
import { Field, FormMessage, PageHeader, SubmitButton } from "#app/components/forms.tsx";
import { PageLink } from "#app/components/page-link.tsx";
import { formAction, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";
import { pageLinks, pageRequestOf } from "#app/paging.server.ts";

export const meta = titled("Blocked email addresses · Admin");

const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/**
 * Canonical email blocks (Mastodon's): admins only. Addresses are kept only as hashes of their canonical form, so the
 * list cannot show them; the check form (a GET, so its answer can be linked) says whether an address falls under one.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "access:admin");
  const { domain } = context.scope;
  const pageRequest = pageRequestOf(request);
  const page = await listEmailBlocks(domain, pageRequest);
  const check = new URL(request.url).searchParams.get("check")?.trim() ?? "";
  const matching = check ? await emailBlocksFor(domain, check) : [];
  return {
    check,
    checked: check ? { blockId: matching[0]?.id ?? null } : null,
    blocks: page.items.map((block) => ({ id: block.id, hash: block.canonicalEmailHash, since: dayOf(block.createdAt) })),
    ...pageLinks(request, pageRequest, page),
  };
}

export const action = formAction(async ({ request, context, form }) => {
  requirePermission(context, request, "access:admin");
  const { domain } = context.scope;
  switch (form.get("intent")) {
    case "block":
      await blockEmail(domain, { email: String(form.get("email") ?? "") });
      return { notice: "Blocked: that address and its variants (dots, +tags, capitals) can no longer sign up or be used." };
    case "unblock":
      await unblockEmail(domain, String(form.get("id") ?? ""));
      return { notice: "Block lifted." };
  }
  throw new Response("Unknown action", { status: 400 });
});

export default function AdminEmailBlocks() {
  const { check, checked, blocks, older, newer } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as (Partial<FormProblem> & { notice?: string }) | undefined;
  return (
    <>
      <PageHeader
        title="Blocked email addresses"
        back="/admin"
        description="A blocked address cannot sign up, sign in with a provider or be set as someone's email."
      />
      <AdminNav current="/admin/email-blocks" isAdmin />
      <div className="px-4 pt-3">
        <FormMessage error={result?.formError} notice={result?.notice} />
      </div>
      <AdminSection id="block-email-heading" title="Block an address">
        <Form method="post" className="mt-2 flex flex-col gap-3">
          <Field
            label="Email address"
            name="email"
            type="email"
            required
            autoComplete="off"
            hint="Stored only as a hash; dots and anything after a + before the @ are ignored, as most providers do."
            defaultValue={result?.values?.email}
            error={result?.fieldErrors?.email}
          />
          <div>
            <SubmitButton intent="block">Block address</SubmitButton>
          </div>
        </Form>
      </AdminSection>
      <AdminSection id="check-email-heading" title="Check an address">
        <Form method="get" className="mt-2 flex flex-col gap-3">
          <Field label="Email address to check" name="check" type="email" required autoComplete="off" defaultValue={check} />
          <div>
            <button type="submit" className="min-h-11 rounded-full border border-line px-4 font-medium">
              Check
            </button>
          </div>
        </Form>
        {checked && (
          <div role="status" className="mt-3 flex flex-wrap items-center gap-3">
            <p>{checked.blockId ? `${check} is blocked.` : `${check} is not blocked.`}</p>
            {checked.blockId && <UnblockButton id={checked.blockId} what={check} />}
          </div>
        )}
      </AdminSection>
      <AdminSection id="email-blocks-heading" title="Blocks" isEmpty={blocks.length === 0} empty="No address is blocked.">
        <ul className="mt-2 flex flex-col gap-2">
          {blocks.map((block) => (
            <li key={block.id} className="flex flex-wrap items-center gap-3 rounded-lg border border-line p-2">
              <span className="font-mono text-sm" title={block.hash}>
                {block.hash.slice(0, 12)}…
              </span>
              <span className="text-sm text-muted">since {block.since}</span>
              <span className="ml-auto">
                <UnblockButton id={block.id} what={`the block ${block.hash.slice(0, 12)}`} />
              </span>
            </li>
          ))}
        </ul>
        <PageLink to={newer} rel="prev">
          Newer blocks
        </PageLink>
        <PageLink to={older} rel="next">
          Older blocks
        </PageLink>
      </AdminSection>
    </>
  );
}

function UnblockButton({ id, what }: { id: string; what: string }) {
  return (
    <Form method="post">
      <input type="hidden" name="id" value={id} />
      <button type="submit" name="intent" value="unblock" className="min-h-11 rounded-full border border-line px-4">
        Unblock<span className="sr-only"> {what}</span>
      </button>
    </Form>
  );
}
