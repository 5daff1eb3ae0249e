import { hash, verify, type Algorithm } from '@node-rs/argon2';

/**
 * argon2id, 64 MiB, t=3, p=4 (the parameters of the `argon2` package this replaced, whose stored
 * hashes keep verifying: the PHC string carries its own parameters). `@node-rs/argon2` is a
 * prebuilt N-API module that needs no install script, so the images' `npm ci --ignore-scripts`
 * installs a working copy. `verifyOrBurn` spends the same work for an unknown account as for a
 * wrong password, so response time does not reveal which emails exist.
 */
const OPTIONS = {
  // Algorithm.Argon2id: a const enum, which isolated modules cannot read from the declarations.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the enum's value
  algorithm: 2 as Algorithm.Argon2id,
  memoryCost: 65_536,
  timeCost: 3,
  parallelism: 4,
};

export class PasswordHasher {
  private dummy: Promise<string> | null = null;

  hash(password: string): Promise<string> {
    return hash(password, OPTIONS);
  }

  async verify(stored: string, password: string): Promise<boolean> {
    try {
      return await verify(stored, password);
    } catch {
      return false; // a malformed stored hash never authenticates
    }
  }

  /** Verifies against `hash`, or against a throwaway hash when there is no account; false then. */
  async verifyOrBurn(stored: string | undefined, password: string): Promise<boolean> {
    if (stored !== undefined) return this.verify(stored, password);
    this.dummy ??= this.hash('photo-sync:no-such-account');
    await this.verify(await this.dummy, password);
    return false;
  }
}
