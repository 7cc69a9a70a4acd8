/**
 * A 64-bit FNV-1a hash of a string as 16 hex digits (two 32-bit halves with different offsets): a
 * short, stable fingerprint for comparing texts, not a cryptographic digest.
 */
export const fingerprint = (text: string): string => {
  let low = 0x811c9dc5;
  let high = 0x01000193 ^ 0x5bd1e995;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    low = Math.imul(low ^ code, 0x01000193) >>> 0;
    high = Math.imul(high ^ code, 0x01000193 ^ 0x2f) >>> 0;
  }
  return low.toString(16).padStart(8, '0') + high.toString(16).padStart(8, '0');
};
