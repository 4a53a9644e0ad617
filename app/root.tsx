import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { AppShell } from "./components/app-shell.tsx";
import { ErrorPage } from "./components/error-page.tsx";
import { useOptimisticTheme } from "./components/theme-switch.tsx";
import { useNonce } from "./nonce.tsx";
import stylesheet from "./styles/app.css?url";
import { themeOf } from "./theme.server.ts";
import { takeToast } from "./toast.server.ts";
import { can } from "#domain/accounts/permissions.ts";
import { totalUnread } from "#domain/messages/conversations.ts";
import { unreadNotificationCount } from "#domain/notifications/inbox.ts";
import { avatarPath } from "#domain/profiles/profile.ts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.instance.title ?? "Perch" },
  { name: "description", content: data?.instance.description ?? "" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { config, viewer } = context.scope;
  const { toast, headers } = await takeToast(context, request);
  return data(
    {
      toast,
      theme: await themeOf(request),
      instance: { title: config.INSTANCE_TITLE, description: config.INSTANCE_DESCRIPTION },
      viewer: viewer && {
        username: viewer.user.username,
        displayName: viewer.user.displayName || viewer.user.username,
        avatar: avatarPath(viewer.user),
        verified: Boolean(viewer.user.emailVerifiedAt),
        admin: can(viewer.user, "access:admin"),
        suspended: viewer.user.moderationStatus === "suspended",
        mediaDisplay: viewer.user.mediaDisplay,
        unread: await unreadNotificationCount(context.scope.domain, viewer.user.id),
        unreadMessages: await totalUnread(context.scope.domain, viewer.user.id),
      },
    },
    { headers },
  );
}

/** The document around every page, error pages included (which may render without the root loader's data). */
export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  const theme = useOptimisticTheme() ?? data?.theme ?? "system";
  return (
    <html lang="en" data-theme={theme}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        <Links />
      </head>
      <body className="bg-canvas text-ink">
        <AppShell
          theme={theme}
          instanceTitle={data?.instance.title ?? "Perch"}
          viewer={data?.viewer ?? null}
          toast={data?.toast ?? null}
          aside={<AboutServer data={data} />}
        >
          {children}
        </AppShell>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function AboutServer({ data }: { data: ReturnType<typeof useRouteLoaderData<typeof loader>> }) {
  if (!data) return null;
  return (
    <section aria-labelledby="about-heading" className="rounded-2xl bg-raised p-4">
      <h2 id="about-heading" className="text-lg font-bold">
        About {data.instance.title}
      </h2>
      <p className="mt-2 text-sm text-muted">{data.instance.description}</p>
      <p className="mt-3 text-sm">
        <a className="text-accent underline-offset-2 hover:underline" href="/api/docs">
          Build on the API
        </a>
      </p>
    </section>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    return <ErrorPage status={error.status} message={typeof error.data === "string" ? error.data : undefined} />;
  }
  return <ErrorPage status={500} />;
}
