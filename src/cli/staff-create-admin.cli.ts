/**
 * `npm run staff:create-admin -- --email admin@example.org [--name "Awa"] [--languages fr,bm] [--reset]`
 * creates a staff admin (or, with --reset, sets a new password on an existing account and makes it an
 * active admin). The password is read from standard input — typed without echo on a terminal, or piped
 * (`printf '%s\n' "$PW" | npm run staff:create-admin -- --email …`) — never from the command line, where
 * it would sit in the shell history. With the embedded database (no DATABASE_URL) stop the service first: while it runs, it owns DATA_DIR
 * and this command refuses (DataDirLockedError, exit code 1) before writing anything.
 */
import { createInterface } from 'node:readline';
import { systemClock } from '../common/clock';
import { loadConfig } from '../config/config';
import { openDatabase } from '../db/open-database';
import { AuditLogRepository } from '../staff/audit-log.repository';
import { PasswordHasher } from '../staff/password.hasher';
import { StaffUsersRepository } from '../staff/staff-users.repository';
import { StaffInputError } from '../staff/staff.types';

interface Args {
  email?: string;
  name: string;
  languages: string[];
  reset: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { name: 'Admin', languages: ['fr'], reset: false };
  for (let i = 0; i < argv.length; i++) {
    const value = () => argv[++i] ?? '';
    if (argv[i] === '--email') args.email = value();
    else if (argv[i] === '--name') args.name = value();
    else if (argv[i] === '--languages') args.languages = value().split(',').filter(Boolean);
    else if (argv[i] === '--reset') args.reset = true;
  }
  return args;
}

/** One line from standard input; on a terminal the typed characters are not echoed. */
function readPassword(): Promise<string> {
  const tty = process.stdin.isTTY;
  if (tty) process.stderr.write('Password (12 characters or more): ');
  const rl = createInterface({ input: process.stdin, output: tty ? process.stderr : undefined, terminal: Boolean(tty) });
  if (tty) (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  return new Promise((resolve) => {
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      if (tty) process.stderr.write('\n');
      resolve(line);
    });
    rl.once('close', () => !answered && resolve(''));
  });
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (!args.email) {
    console.error('usage: npm run staff:create-admin -- --email admin@example.org [--name "Awa"] [--languages fr,bm] [--reset]  (password on standard input)');
    return 2;
  }
  const password = await readPassword();
  const config = loadConfig();
  const handle = await openDatabase(config);
  try {
    const users = new StaffUsersRepository(handle.db, new PasswordHasher(), systemClock);
    const audit = new AuditLogRepository(handle.db, systemClock);
    const existing = await users.findByEmail(args.email);
    if (existing && !args.reset) {
      console.error(`A staff account with this e-mail already exists (add --reset to set a new password and make it an active admin).`);
      return 1;
    }
    const user = existing
      ? await users.update(existing.id, { password, role: 'admin', active: true })
      : await users.create({ email: args.email, displayName: args.name, password, role: 'admin', languages: args.languages });
    await audit.record({ staffId: user!.id, action: existing ? 'user_updated' : 'first_admin_created', detail: { via: 'cli' } });
    console.log(existing ? `Admin ${user!.email}: new password set, account active.` : `Admin ${user!.email} created.`);
    return 0;
  } catch (err) {
    if (err instanceof StaffInputError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await handle.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`staff:create-admin failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
