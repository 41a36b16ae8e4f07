import { createHmac, randomBytes, randomUUID } from 'node:crypto';

/**
 * UIDs under the 2.25 root: a UUID written as one decimal integer (PS3.5 B.2, ISO/IEC 9834-8).
 * No registered org root is needed, and 2.25 + 39 digits stays within the 64-character UI limit.
 */
export function newUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString()}`;
}

/**
 * Replaces UIDs consistently for de-identification (PS3.15 E.1, action U: "replace with a
 * non-zero length UID that is internally consistent within a set of Instances"). The same input
 * UID and the same secret always give the same output, so several exports of one study keep
 * pointing at one (new) study; without the secret the original UID cannot be recovered.
 */
export class UidMapper {
  private readonly secret: Buffer;
  private readonly cache = new Map<string, string>();

  constructor(secret?: Uint8Array | string) {
    this.secret = secret === undefined ? randomBytes(32) : Buffer.from(secret);
  }

  map(uid: string): string {
    let mapped = this.cache.get(uid);
    if (mapped === undefined) {
      const digest = createHmac('sha256', this.secret).update(uid).digest();
      // 128 bits, as in a UUID; make it a version-4-like value so it is never 0.
      digest[0] = (digest[0]! | 0x80) & 0xff;
      mapped = `2.25.${BigInt(`0x${digest.subarray(0, 16).toString('hex')}`).toString()}`;
      this.cache.set(uid, mapped);
    }
    return mapped;
  }

  /** A short pseudonym (for PatientID) derived the same way, stable for the same secret. */
  pseudonym(value: string, prefix = 'ANON'): string {
    const digest = createHmac('sha256', this.secret).update(`pseudonym:${value}`).digest('hex');
    return `${prefix}-${digest.slice(0, 10).toUpperCase()}`;
  }
}
