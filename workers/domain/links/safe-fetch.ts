import ipaddr from "ipaddr.js";
import { z } from "zod";
import type { DomainContext } from "../context.ts";
import { PERCH_VERSION } from "../instance.ts";

/**
 * Fetching URLs that users wrote, without letting them aim our server at places they could not reach themselves
 * (server-side request forgery): only http(s) on the standard ports, only hosts whose every address is public
 * unicast, redirects followed by hand and each hop checked again, a time limit for the whole fetch and a size limit
 * on what is read. ADR 0015 records what this cannot prevent.
 */
export class UnsafeUrlError extends Error {
  override name = "UnsafeUrlError";
}

export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
  accept: string;
}

export interface FetchedResource {
  url: string;
  contentType: string;
  body: Uint8Array;
  /** False when the body was longer than maxBytes and was cut off there. */
  complete: boolean;
}

/** Hostnames that only mean something inside a network. */
const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home|corp|localdomain|home\.arpa)$/i;

/**
 * The address as the network treats it: IPv4-mapped IPv6 (::ffff:10.0.0.1, through ipaddr.process) and the deprecated
 * IPv4-compatible form (::7f00:1, which is ::127.0.0.1) are the IPv4 addresses they embed.
 */
function effectiveAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const parsed = ipaddr.process(address);
  if (parsed.kind() !== "ipv6") return parsed;
  const parts = (parsed as ipaddr.IPv6).parts;
  const compatible = parts.slice(0, 6).every((part) => part === 0) && (parts[6]! !== 0 || parts[7]! > 1);
  return compatible ? ipaddr.fromByteArray(parsed.toByteArray().slice(12)) : parsed;
}

/** True for an address anyone on the internet could reach: not private, loopback, link-local, reserved or multicast. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return effectiveAddress(address).range() === "unicast";
}

const dnsAnswer = z.object({
  Status: z.number(),
  Answer: z.array(z.object({ type: z.number(), data: z.string() })).optional(),
});

/** The host's A and AAAA records, through the DNS-over-HTTPS resolver in the configuration. */
async function resolve(ctx: DomainContext, hostname: string, signal: AbortSignal): Promise<string[]> {
  const lookups = (["A", "AAAA"] as const).map(async (type) => {
    const url = new URL(ctx.config.DNS_RESOLVER_URL);
    url.searchParams.set("name", hostname);
    url.searchParams.set("type", type);
    const response = await fetch(url, { headers: { Accept: "application/dns-json" }, signal });
    if (!response.ok) throw new UnsafeUrlError(`The DNS resolver answered ${response.status}`);
    const answer = dnsAnswer.parse(await response.json());
    const wanted = type === "A" ? 1 : 28;
    return (answer.Answer ?? []).filter((record) => record.type === wanted).map((record) => record.data);
  });
  return (await Promise.all(lookups)).flat();
}

/** Refuses a URL unless it is http(s), on a standard port, without credentials, to a host with only public addresses. */
export async function assertPublicUrl(ctx: DomainContext, url: URL, signal: AbortSignal): Promise<void> {
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UnsafeUrlError("Only http and https links are fetched");
  if (url.username || url.password) throw new UnsafeUrlError("Links with credentials are not fetched");
  if (url.port !== "" && url.port !== "80" && url.port !== "443") throw new UnsafeUrlError("Only the standard web ports are fetched");
  // A fully qualified name's trailing dot (localhost.) names the same host as the name without it.
  const host = url.hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (ipaddr.isValid(host)) {
    if (!isPublicAddress(host)) throw new UnsafeUrlError(`${host} is not a public address`);
    return;
  }
  if (!host.includes(".") || INTERNAL_NAMES.test(host)) throw new UnsafeUrlError(`${host} is not a public host name`);
  const addresses = await resolve(ctx, host, signal);
  if (addresses.length === 0) throw new UnsafeUrlError(`${host} does not resolve`);
  const inside = addresses.find((address) => !isPublicAddress(address));
  if (inside) throw new UnsafeUrlError(`${host} resolves to ${inside}, which is not a public address`);
}

/** Reads at most maxBytes of a body; a longer one is cut off there and the rest never downloaded. */
async function readLimited(response: Response, maxBytes: number): Promise<{ body: Uint8Array; complete: boolean }> {
  if (!response.body) return { body: new Uint8Array(), complete: true };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let complete = false;
  while (total <= maxBytes) {
    const { done, value } = await reader.read();
    if (done) {
      complete = true;
      break;
    }
    chunks.push(value);
    total += value.length;
  }
  await reader.cancel();
  const body = new Uint8Array(Math.min(total, maxBytes));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, body.length - offset);
    body.set(part, offset);
    offset += part.length;
  }
  return { body, complete };
}

/** GETs a user-supplied URL within the limits; throws UnsafeUrlError for anything refused or failed. */
export async function safeFetch(ctx: DomainContext, address: string, limits: FetchLimits): Promise<FetchedResource> {
  try {
    return await followHops(ctx, new URL(address), limits, AbortSignal.timeout(limits.timeoutMs));
  } catch (error) {
    if (error instanceof UnsafeUrlError) throw error;
    // Network failures, timeouts and malformed resolver answers all mean the same here: this link is not fetched.
    throw new UnsafeUrlError(`Fetching ${address} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function followHops(ctx: DomainContext, start: URL, limits: FetchLimits, signal: AbortSignal): Promise<FetchedResource> {
  let url = start;
  for (let hop = 0; hop <= limits.maxRedirects; hop += 1) {
    await assertPublicUrl(ctx, url, signal);
    const response = await fetch(url, {
      redirect: "manual",
      signal,
      headers: {
        Accept: limits.accept,
        "User-Agent": `Mozilla/5.0 (compatible; Perch/${PERCH_VERSION}; +${ctx.config.PUBLIC_ORIGIN ?? "https://perch.local"})`,
      },
    });
    const location = response.headers.get("Location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new UnsafeUrlError(`${url.href} answered ${response.status}`);
    }
    return { url: url.href, contentType: response.headers.get("Content-Type") ?? "", ...(await readLimited(response, limits.maxBytes)) };
  }
  throw new UnsafeUrlError("Too many redirects");
}
