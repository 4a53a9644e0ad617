import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { renderSVG } from "uqr";
import { z } from "zod";
import { confirmIdentity } from "#domain/accounts/credentials.ts";
import { loginHistory } from "#domain/accounts/login.ts";
import { listSessions, revokeAllSessions, revokeSession } from "#domain/accounts/sessions.ts";
import {
  beginTwoFactorSetup,
  confirmTwoFactor,
  disableTwoFactor,
  hasTwoFactor,
  pendingTwoFactorSecret,
  remainingRecoveryCodes,
  replaceRecoveryCodes,
} from "#domain/accounts/two-factor.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { Field, FormMessage, SubmitButton } from "#app/components/forms.tsx";
import { SettingsSection } from "#app/components/settings-section.tsx";
import { formAction, formProblem, parseForm, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Security settings");

/** A short description of a browser from its user agent, for the sessions and history lists. */
function describeDevice(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const browser = /Firefox\//.test(userAgent)
    ? "Firefox"
    : /Edg\//.test(userAgent)
      ? "Edge"
      : /Chrome\//.test(userAgent)
        ? "Chrome"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : "Browser";
  const system = /Android/.test(userAgent)
    ? "Android"
    : /iPhone|iPad/.test(userAgent)
      ? "iOS"
      : /Mac OS X/.test(userAgent)
        ? "macOS"
        : /Windows/.test(userAgent)
          ? "Windows"
          : /Linux/.test(userAgent)
            ? "Linux"
            : "";
  return system ? `${browser} on ${system}` : browser;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  const { domain } = context.scope;
  const enabled = await hasTwoFactor(domain, viewer.user.id);
  const pending = enabled ? undefined : await pendingTwoFactorSecret(domain, viewer.user);
  const [sessions, history, codesLeft] = await Promise.all([
    listSessions(domain, viewer.user.id),
    loginHistory(domain, viewer.user.id, 20),
    enabled ? remainingRecoveryCodes(domain, viewer.user.id) : Promise.resolve(0),
  ]);
  return {
    twoFactor: {
      enabled,
      codesLeft,
      setup: pending && {
        secret: pending.secret,
        qr: `data:image/svg+xml;base64,${btoa(renderSVG(pending.uri, { border: 2 }))}`,
      },
    },
    sessions: sessions.map((session) => ({
      id: session.id,
      current: session.id === viewer.sessionId,
      device: describeDevice(session.userAgent),
      ip: session.ip ?? "unknown address",
      lastSeenAt: session.lastSeenAt.toISOString(),
    })),
    history: history.map((event) => ({
      id: event.id,
      success: event.success,
      method: event.method,
      reason: event.reason,
      device: describeDevice(event.userAgent),
      ip: event.ip ?? "unknown address",
      at: event.createdAt.toISOString(),
    })),
  };
}

const codeSchema = z.object({ code: z.string().trim().min(6, "Enter the 6-digit code from your app") });
const proofSchema = z.object({ password: z.string().optional(), code: z.string().optional() });

type Result = { intent: string; notice?: string; recoveryCodes?: string[] };

export const action = formAction(async ({ request, context, form }) => {
  const viewer = requireViewer(context, request);
  const { domain } = context.scope;
  const intent = String(form.get("intent"));
  switch (intent) {
    case "begin-two-factor":
      await beginTwoFactorSetup(domain, viewer.user);
      return { intent } satisfies Result;
    case "confirm-two-factor": {
      const parsed = parseForm(codeSchema, form);
      if (!parsed.ok) return parsed.response;
      return { intent, recoveryCodes: await confirmTwoFactor(domain, viewer.user.id, parsed.data.code) } satisfies Result;
    }
    case "disable-two-factor":
    case "regenerate-codes": {
      const proof = proofSchema.parse(Object.fromEntries(form));
      if (!(await confirmIdentity(domain, viewer.user.id, proof, context.scope.client))) {
        return formProblem(form, { formError: "Confirm with your password or a current code.", fieldErrors: {} }, 422);
      }
      if (intent === "disable-two-factor") {
        await disableTwoFactor(domain, viewer.user.id);
        return { intent, notice: "Two-factor authentication is off." } satisfies Result;
      }
      return { intent, recoveryCodes: await replaceRecoveryCodes(domain, viewer.user.id) } satisfies Result;
    }
    case "revoke-session":
      await revokeSession(domain, viewer.user.id, String(form.get("sessionId")));
      return { intent, notice: "That device has been signed out." } satisfies Result;
    case "revoke-other-sessions": {
      const count = await revokeAllSessions(domain, viewer.user.id, viewer.sessionId);
      return { intent, notice: `Signed out ${count} other ${count === 1 ? "device" : "devices"}.` } satisfies Result;
    }
    default:
      return formProblem(form, { formError: "Unknown action", fieldErrors: {} }, 400);
  }
});

function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <div role="status" className="rounded-lg bg-accent-soft p-4">
      <p className="font-semibold">Your recovery codes</p>
      <p className="text-sm">Each works once if you lose your phone. Store them somewhere safe: they are shown only now.</p>
      <ul aria-label="Recovery codes" className="mt-3 grid grid-cols-2 gap-1 font-mono">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
    </div>
  );
}

export default function SecuritySettings() {
  const { twoFactor, sessions, history } = useLoaderData<typeof loader>();
  const result = useActionData<FormProblem | Result>();
  const problem = result && "fieldErrors" in result ? result : undefined;
  const done = result && "intent" in result ? result : undefined;
  return (
    <>
      <SettingsSection
        id="two-factor-heading"
        title="Two-factor authentication"
        description="A code from an authenticator app (1Password, Google Authenticator, Aegis …) at each log-in, as well as your password."
      >
        <FormMessage error={problem?.formError} notice={done?.notice} />
        {done?.recoveryCodes && <RecoveryCodes codes={done.recoveryCodes} />}
        {twoFactor.enabled ? (
          <>
            <p>
              Two-factor authentication is <strong>on</strong>. {twoFactor.codesLeft} unused recovery{" "}
              {twoFactor.codesLeft === 1 ? "code" : "codes"} left.
            </p>
            <Form method="post" className="flex flex-col gap-4" noValidate>
              <Field label="Password (or a current code below)" name="password" type="password" autoComplete="current-password" />
              <Field label="Code" name="code" autoComplete="one-time-code" />
              <div className="flex flex-wrap gap-3">
                <button
                  type="submit"
                  name="intent"
                  value="regenerate-codes"
                  className="rounded-full border border-line px-5 py-2.5 font-semibold"
                >
                  New recovery codes
                </button>
                <button
                  type="submit"
                  name="intent"
                  value="disable-two-factor"
                  className="rounded-full bg-danger px-5 py-2.5 font-semibold text-white"
                >
                  Turn off
                </button>
              </div>
            </Form>
          </>
        ) : twoFactor.setup ? (
          <div className="flex flex-col gap-4">
            <p>Scan this code with your authenticator app, or type the key in by hand, then enter the code it shows.</p>
            <img
              src={twoFactor.setup.qr}
              alt="QR code to add Perch to an authenticator app"
              width={200}
              height={200}
              className="rounded-lg bg-white p-2"
            />
            <p>
              Key:{" "}
              <code className="font-mono break-all" data-testid="totp-secret">
                {twoFactor.setup.secret}
              </code>
            </p>
            <Form method="post" className="flex flex-col gap-4" noValidate>
              <input type="hidden" name="intent" value="confirm-two-factor" />
              <Field
                label="Code from the app"
                name="code"
                autoComplete="one-time-code"
                inputMode="numeric"
                required
                error={problem?.fieldErrors.code}
              />
              <div>
                <SubmitButton intent="confirm-two-factor" pendingLabel="Checking…">
                  Turn on
                </SubmitButton>
              </div>
            </Form>
          </div>
        ) : (
          <Form method="post">
            <input type="hidden" name="intent" value="begin-two-factor" />
            <SubmitButton intent="begin-two-factor" pendingLabel="Preparing…">
              Set up two-factor authentication
            </SubmitButton>
          </Form>
        )}
      </SettingsSection>

      <SettingsSection id="sessions-heading" title="Where you're signed in">
        <ul className="divide-y divide-line">
          {sessions.map((session) => (
            <li key={session.id} className="flex items-center justify-between gap-4 py-3">
              <div>
                <p className="font-medium">
                  {session.device} {session.current && <span className="ml-1 rounded bg-accent-soft px-1.5 text-sm">this device</span>}
                </p>
                <p className="text-sm text-muted">
                  {session.ip} · last active{" "}
                  <time dateTime={session.lastSeenAt}>{session.lastSeenAt.slice(0, 16).replace("T", " ")} UTC</time>
                </p>
              </div>
              {!session.current && (
                <Form method="post">
                  <input type="hidden" name="intent" value="revoke-session" />
                  <input type="hidden" name="sessionId" value={session.id} />
                  <button type="submit" className="rounded-full border border-line px-4 py-1.5 text-sm font-semibold">
                    Sign out<span className="sr-only"> {session.device}</span>
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
        {sessions.length > 1 && (
          <Form method="post">
            <input type="hidden" name="intent" value="revoke-other-sessions" />
            <SubmitButton variant="secondary" intent="revoke-other-sessions" pendingLabel="Signing out…">
              Sign out everywhere else
            </SubmitButton>
          </Form>
        )}
      </SettingsSection>

      <SettingsSection
        id="history-heading"
        title="Log-in history"
        description="The last 20 attempts to log in to your account, successful or not."
      >
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="text-muted">
              <th scope="col" className="py-1 font-medium">
                When (UTC)
              </th>
              <th scope="col" className="py-1 font-medium">
                Result
              </th>
              <th scope="col" className="py-1 font-medium">
                Device
              </th>
              <th scope="col" className="py-1 font-medium">
                Address
              </th>
            </tr>
          </thead>
          <tbody>
            {history.map((event) => (
              <tr key={event.id} className="border-t border-line">
                <td className="py-1.5">
                  <time dateTime={event.at}>{event.at.slice(0, 16).replace("T", " ")}</time>
                </td>
                <td className="py-1.5">{event.success ? `Signed in (${event.method})` : `Failed (${event.reason ?? event.method})`}</td>
                <td className="py-1.5">{event.device}</td>
                <td className="py-1.5">{event.ip}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </SettingsSection>
    </>
  );
}
