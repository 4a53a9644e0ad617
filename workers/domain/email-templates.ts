import { escapeHtml } from "#workers/platform/html.ts";
import type { EmailMessage } from "./email.ts";

/**
 * Plain, accessible transactional emails: a heading, a few paragraphs and at most one button, with a text version
 * that carries the same link.
 */
export function renderEmail(input: {
  to: string;
  subject: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  footer?: string;
}): EmailMessage {
  const text = [
    ...input.paragraphs,
    ...(input.action ? [`${input.action.label}: ${input.action.url}`] : []),
    ...(input.footer ? ["", input.footer] : []),
  ].join("\n\n");
  const button = input.action
    ? `<p><a href="${escapeHtml(input.action.url)}" style="display:inline-block;padding:10px 18px;background:#4338ca;color:#ffffff;border-radius:999px;text-decoration:none;font-weight:600">${escapeHtml(input.action.label)}</a></p><p style="font-size:13px;color:#536471">Or paste this link into your browser: ${escapeHtml(input.action.url)}</p>`
    : "";
  const html = `<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;color:#0f1419;max-width:560px;margin:auto;padding:24px"><h1 style="font-size:20px">${escapeHtml(input.subject)}</h1>${input.paragraphs
    .map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`)
    .join("")}${button}${input.footer ? `<p style="font-size:13px;color:#536471">${escapeHtml(input.footer)}</p>` : ""}</body></html>`;
  return { to: input.to, subject: input.subject, text, html };
}
