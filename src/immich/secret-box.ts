import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * Encrypts connector credentials at rest (AES-256-GCM). The key is derived from SECRETS_KEY or
 * from the secret kept in the data dir, so a database dump alone does not reveal an API key.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('The secrets key must be at least 32 characters.');
    this.key = createHash('sha256').update('photo-sync/secret-box/v1\0').update(secret).digest();
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join(':');
  }

  /** Throws SecretUnreadableError when the value was sealed with another key or was altered. */
  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new SecretUnreadableError();
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SecretUnreadableError();
    }
  }
}

export class SecretUnreadableError extends Error {
  constructor() {
    super(
      'A stored credential cannot be decrypted: SECRETS_KEY (or the data dir key) changed since it was saved. ' +
        'Enter the Immich API key again.',
    );
    this.name = 'SecretUnreadableError';
  }
}
