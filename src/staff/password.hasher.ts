import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with the library's defaults (OWASP's minimum: 19 MiB, 2 passes), computed off the event
 * loop by the native binding. A hash of a random string answers unknown accounts, so a login for an
 * e-mail that does not exist takes as long as one that does.
 */
export class PasswordHasher {
  private decoy?: Promise<string>;

  hash(password: string): Promise<string> {
    return hash(password);
  }

  async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    if (!passwordHash) {
      this.decoy ??= hash(`decoy-${Math.random()}`);
      await verify(await this.decoy, password).catch(() => false);
      return false;
    }
    return verify(passwordHash, password).catch(() => false);
  }
}
