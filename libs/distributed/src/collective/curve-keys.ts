import { createPrivateKey, createPublicKey, hkdfSync } from 'node:crypto';
import { DistributedError } from '@omnitrain/core';

/** A ZeroMQ CURVE key pair, Z85-encoded (40 characters each). */
export interface CurveKeyPair {
  readonly publicKey: string;
  readonly secretKey: string;
}

const Z85 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';

/** Z85-encodes bytes (length a multiple of 4), as ZeroMQ's `zmq_z85_encode`. */
export function z85Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    let v = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
    let chunk = '';
    for (let k = 0; k < 5; k++) {
      chunk = Z85[v % 85]! + chunk;
      v = Math.floor(v / 85);
    }
    out += chunk;
  }
  return out;
}

const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');

/**
 * Derives the job's CURVE key pair from its secret (HKDF-SHA256, salted with the job id): every
 * worker holding `OMNITRAIN_JOB_SECRET` computes the same pair, and a process without the secret
 * cannot know the server key, so its handshake fails and it never joins the ring.
 *
 * @param secret The job secret (at least 16 characters).
 * @param jobId The job id (salt).
 * @throws DistributedError for a secret shorter than 16 characters.
 * @example
 * const { publicKey, secretKey } = deriveCurveKeys(process.env.OMNITRAIN_JOB_SECRET!, 'job-7');
 */
export function deriveCurveKeys(secret: string, jobId: string): CurveKeyPair {
  if (secret.length < 16) {
    throw new DistributedError({
      op: 'deriveCurveKeys',
      expected: 'OMNITRAIN_JOB_SECRET of at least 16 characters',
      received: `${secret.length} characters`,
      hint: 'generate one with `openssl rand -hex 32` and give it to every worker',
    });
  }
  const raw = Buffer.from(hkdfSync('sha256', secret, jobId, 'omnitrain-curve-v1', 32));
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8_X25519, raw]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(priv).export({ format: 'der', type: 'spki' });
  return { publicKey: z85Encode(spki.subarray(spki.length - 32)), secretKey: z85Encode(raw) };
}
