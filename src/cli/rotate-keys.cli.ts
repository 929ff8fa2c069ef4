/**
 * `npm run keys:rotate`: re-encrypts every stored secret (contact addresses, callback numbers, staff
 * notes) under the active encryption key — the first of SIRA_ENCRYPTION_KEYS. The procedure:
 *   1. `npm run keys:rotate -- --generate k2` prints a new key `k2:<base64>` (nothing is stored);
 *   2. put it first: SIRA_ENCRYPTION_KEYS=k2:<new>,k1:<old>, restart the service (new rows use k2);
 *   3. `npm run keys:rotate`: every old row is re-encrypted; it prints counts per column;
 *   4. once it reports 0 remaining everywhere, drop k1 from SIRA_ENCRYPTION_KEYS and restart.
 * The blind-index key (SIRA_BLIND_INDEX_KEY) is separate and not rotated: look-ups keep working.
 * Prints counts and key ids only, never a key or a value. Exit code 1 when anything is left behind.
 */
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/config';
import { AddressCipher } from '../crypto/address-cipher';
import { KeyRing } from '../crypto/key-ring';
import { openDatabase } from '../db/open-database';
import { KeyRotationService } from '../privacy/key-rotation.service';

async function main(argv: string[]): Promise<number> {
  const generate = argv.indexOf('--generate');
  if (generate >= 0) {
    const kid = argv[generate + 1] ?? `k${Date.now().toString(36)}`;
    if (!/^[a-z0-9_-]+$/i.test(kid)) throw new Error('a key id is letters, digits, _ or -');
    console.log(`${kid}:${randomBytes(32).toString('base64')}`);
    return 0;
  }
  const config = loadConfig();
  const keys = KeyRing.fromConfig(config, new Logger('KeyRing'));
  const handle = await openDatabase(config);
  try {
    const report = await new KeyRotationService(handle.db, keys, new AddressCipher(keys)).rotate();
    console.log(`active key: ${report.activeKid} (ring: ${keys.encryptionKeys.map((k) => k.kid).join(', ')})`);
    for (const column of Object.keys(report.reencrypted)) {
      console.log(`${column}: ${report.reencrypted[column]} re-encrypted, ${report.remaining[column]} remaining`);
    }
    const left = Object.values(report.remaining).reduce((a, b) => a + b, 0);
    if (left > 0) console.error(`${left} value(s) still under another key: run again before removing old keys`);
    return left > 0 ? 1 : 0;
  } finally {
    await handle.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    // the error's name and message only: decryption errors name a key id, never a value
    console.error(`keys:rotate failed: ${err instanceof Error ? `${err.name}: ${err.message}` : 'error'}`);
    process.exitCode = 1;
  },
);
