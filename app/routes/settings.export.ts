import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { exportAccount } from "#domain/accounts/data-export.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";

/** The data export as a download. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const archive = await exportAccount(context.scope.domain, user);
  return new Response(JSON.stringify(archive, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="perch-${user.username}-${new Date().toISOString().slice(0, 10)}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
