import { createHash, randomBytes } from 'node:crypto';

/** Random bearer secrets (refresh tokens, API keys) and the hash under which they are stored. */
export function newSecretToken(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** SHA-256 is enough here: the tokens are 256 random bits, not guessable passwords. */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
