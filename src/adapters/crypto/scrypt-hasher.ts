import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHasher } from '../../core/accounts/ports.js';

const scryptAsync = (password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    scrypt(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });

/** OWASP's scrypt floor (N=2^17, r=8, p=1) costs 128 MiB per hash; tests may pass a cheaper cost. */
export const DEFAULT_SCRYPT_COST = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

/**
 * Hashes as `scrypt$N$r$p$salt$key` (base64) so that the cost can rise later without breaking
 * stored hashes: verification reads the parameters from the hash itself.
 */
export const createScryptHasher = (cost: { N: number; r: number; p: number } = DEFAULT_SCRYPT_COST): PasswordHasher => ({
  async hash(password) {
    const salt = randomBytes(16);
    const key = await scryptAsync(password.normalize('NFKC'), salt, KEY_LENGTH, { ...cost, maxmem: 256 * cost.N * cost.r });
    return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
  },
  async verify(password, stored) {
    const [scheme, n, r, p, salt, key] = stored.split('$');
    if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) {
      return false;
    }
    const expected = Buffer.from(key, 'base64');
    const options = { N: Number(n), r: Number(r), p: Number(p), maxmem: 256 * Number(n) * Number(r) };
    const actual = await scryptAsync(password.normalize('NFKC'), Buffer.from(salt, 'base64'), expected.length, options);
    return timingSafeEqual(actual, expected);
  },
});
