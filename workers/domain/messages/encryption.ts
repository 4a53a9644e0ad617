import { base64url, fromBase64url } from "#workers/platform/crypto.ts";

/**
 * Message bodies at rest (docs/decisions/0036): AES-GCM-256 under a key derived with HKDF-SHA256 from one secret of
 * MESSAGE_ENCRYPTION_KEY, bound to its row (conversation and message id as additional data), so a ciphertext copied
 * into another row does not decrypt. Every row names its key version; rotation adds a version and re-encrypts.
 */

/** The versions of the message key: `current` encrypts, every listed one decrypts. */
export interface KeyRing {
  current: number;
  secrets: ReadonlyMap<number, string>;
}

export const MIN_SECRET_LENGTH = 32;

/**
 * MESSAGE_ENCRYPTION_KEY is either one secret (version 1) or a comma-separated list of `<version>:<secret>`, the
 * current version first: "2:<new secret>,1:<old secret>" while rotation re-encrypts the rows still under version 1.
 */
export function parseKeyRing(value: string): KeyRing {
  const entries = value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 1 && !/^\d+:/.test(entries[0]!)) return checked({ current: 1, secrets: new Map([[1, entries[0]!]]) });
  const secrets = new Map<number, string>();
  for (const entry of entries) {
    const match = /^(\d+):(.+)$/.exec(entry);
    if (!match) throw new Error("each entry must be <version>:<secret>");
    const version = Number(match[1]);
    if (!Number.isSafeInteger(version) || version < 1) throw new Error("versions are whole numbers from 1");
    if (secrets.has(version)) throw new Error(`version ${version} is listed twice`);
    secrets.set(version, match[2]!);
  }
  if (secrets.size === 0) throw new Error("no key is given");
  return checked({ current: Number(/^(\d+):/.exec(entries[0]!)![1]), secrets });
}

function checked(ring: KeyRing): KeyRing {
  for (const [version, secret] of ring.secrets) {
    if (secret.length < MIN_SECRET_LENGTH)
      throw new Error(`the secret of version ${version} must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  return ring;
}

const rings = new Map<string, KeyRing>();

/** The key ring of a configured value, parsed once per isolate. */
export function keyRingOf(value: string): KeyRing {
  let ring = rings.get(value);
  if (!ring) {
    ring = parseKeyRing(value);
    rings.set(value, ring);
  }
  return ring;
}

const keys = new Map<string, Promise<CryptoKey>>();

function messageKey(ring: KeyRing, version: number): Promise<CryptoKey> {
  const secret = ring.secrets.get(version);
  if (!secret) throw new Error(`Message key version ${version} is not configured (MESSAGE_ENCRYPTION_KEY)`);
  const cacheKey = `${version}\u0000${secret}`;
  let key = keys.get(cacheKey);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", new TextEncoder().encode(secret), "HKDF", false, ["deriveKey"])
      .then((material) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(), info: new TextEncoder().encode(`perch:messages:v${version}`) },
          material,
          { name: "AES-GCM", length: 256 },
          false,
          ["encrypt", "decrypt"],
        ),
      );
    keys.set(cacheKey, key);
  }
  return key;
}

/** Which row a ciphertext belongs to. */
export interface SealedRow {
  conversationId: string;
  id: string;
}

const additionalData = (row: SealedRow) => new TextEncoder().encode(`${row.conversationId}:${row.id}`);

/** The body as stored, "<iv>.<ciphertext>" in base64url, and the key version that sealed it. */
export async function encryptBody(ring: KeyRing, row: SealedRow, text: string): Promise<{ body: string; keyVersion: number }> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await messageKey(ring, ring.current);
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: additionalData(row) },
    key,
    new TextEncoder().encode(text),
  );
  return { body: `${base64url(iv)}.${base64url(new Uint8Array(sealed))}`, keyVersion: ring.current };
}

export async function decryptBody(ring: KeyRing, row: SealedRow & { body: string; keyVersion: number }): Promise<string> {
  const [iv, ciphertext] = row.body.split(".");
  if (!iv || !ciphertext) throw new Error("Malformed message ciphertext");
  const key = await messageKey(ring, row.keyVersion);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64url(iv), additionalData: additionalData(row) },
    key,
    fromBase64url(ciphertext),
  );
  return new TextDecoder().decode(plain);
}
