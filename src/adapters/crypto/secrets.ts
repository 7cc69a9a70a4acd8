import { createHash, randomBytes } from 'node:crypto';
import type { Secrets } from '../../core/accounts/ports.js';

/** 32 random bytes as base64url for tokens; SHA-256 to store them (they are high-entropy, so no salt is needed). */
export const nodeSecrets: Secrets = {
  randomToken: (bytes = 32) => randomBytes(bytes).toString('base64url'),
  hashToken: (token) => createHash('sha256').update(token).digest('hex'),
};
