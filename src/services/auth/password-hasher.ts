import argon2 from 'argon2';

/**
 * argon2id with the library's defaults (64 MiB, t=3, p=4). `verifyOrBurn` spends the same work for
 * an unknown account as for a wrong password, so response time does not reveal which emails exist.
 */
export class PasswordHasher {
  private dummy: Promise<string> | null = null;

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false; // a malformed stored hash never authenticates
    }
  }

  /** Verifies against `hash`, or against a throwaway hash when there is no account; false then. */
  async verifyOrBurn(hash: string | undefined, password: string): Promise<boolean> {
    if (hash !== undefined) return this.verify(hash, password);
    this.dummy ??= this.hash('photo-sync:no-such-account');
    await this.verify(await this.dummy, password);
    return false;
  }
}
