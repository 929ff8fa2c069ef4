import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/config';
import { configSchema } from '../../src/config/config.schema';

/**
 * The three places that name configuration variables must not drift apart: the schema (the only truth),
 * `.env.example` (what an operator copies) and `compose.yaml` (what the container is given).
 */
const ROOT = join(__dirname, '..', '..');
const VARIABLE = /^[A-Z][A-Z0-9_]*$/;

const schemaKeys = new Set(Object.keys(configSchema.shape));

interface ComposeFile {
  services: Record<string, { environment?: Record<string, unknown> | string[]; command?: string[] | string }>;
}
const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8')) as ComposeFile;

/** The sira service's environment as written (map or `NAME=value` list form). */
function siraEnvironment(): Record<string, string> {
  const env = compose.services.sira?.environment ?? {};
  const entries = Array.isArray(env)
    ? env.map((line) => [line.split('=')[0], line.slice(line.indexOf('=') + 1)] as const)
    : Object.entries(env).map(([name, value]) => [name, value === null || value === undefined ? '' : String(value)] as const);
  return Object.fromEntries(entries);
}

/** `NAME=value` lines and commented `# NAME=value` lines of .env.example. */
function envExampleNames(): string[] {
  const names: string[] = [];
  for (const line of readFileSync(join(ROOT, '.env.example'), 'utf8').split('\n')) {
    const match = /^#?\s*([A-Za-z_][A-Za-z0-9_]*)=/.exec(line.trim());
    if (match && VARIABLE.test(match[1])) names.push(match[1]);
  }
  return names;
}

/** Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?message}`, resolved against `given`. */
function interpolate(value: string, given: Record<string, string>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-?])([^}]*))?\}/g, (_all, name: string, kind?: string, rest?: string) => {
    const set = given[name];
    if (set !== undefined && set !== '') return set;
    if (kind === '?') throw new Error(`${name} is required by compose.yaml and was not given`);
    return kind === '-' ? (rest ?? '') : '';
  });
}

describe('configuration variables: schema, .env.example and compose.yaml agree', () => {
  it('the schema lists its variables (the test reads the real schema)', () => {
    expect(schemaKeys.size).toBeGreaterThan(20);
    for (const key of ['NODE_ENV', 'PORT', 'DATABASE_URL', 'REDIS_URL', 'SIRA_ENCRYPTION_KEYS', 'SIRA_BLIND_INDEX_KEY']) {
      expect(schemaKeys).toContain(key);
    }
  });

  it('every variable compose.yaml passes to the service is one the config knows', () => {
    const names = Object.keys(siraEnvironment());
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !schemaKeys.has(name))).toEqual([]);
  });

  it('every variable in .env.example is one the config knows', () => {
    const names = envExampleNames();
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !schemaKeys.has(name))).toEqual([]);
  });

  it('every variable the config knows is shown in .env.example (set or commented out)', () => {
    const shown = new Set(envExampleNames());
    // a failure lists exactly the lines .env.example lacks
    expect([...schemaKeys].filter((key) => !shown.has(key))).toEqual([]);
  });

  it('compose.yaml, given only its required secrets, makes a configuration production accepts', () => {
    const secrets = {
      PUBLIC_BASE_URL: 'https://sira.example.org',
      POSTGRES_PASSWORD: 'not-a-real-password',
      SIRA_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      SIRA_BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
    };
    const env = Object.fromEntries(Object.entries(siraEnvironment()).map(([name, value]) => [name, interpolate(value, secrets)]));
    const config = loadConfig(env);
    expect(config.production).toBe(true);
    expect(config.redis.url).toBe('redis://redis:6379');
    expect(config.database.url).toMatch(/^postgres:\/\/sira:[^@]+@postgres:5432\/sira$/);
  });

  it('compose.yaml refuses to start without the encryption and blind-index keys', () => {
    const env = siraEnvironment();
    expect(() => interpolate(env.SIRA_ENCRYPTION_KEYS, {})).toThrow(/SIRA_ENCRYPTION_KEYS is required/);
    expect(() => interpolate(env.SIRA_BLIND_INDEX_KEY, {})).toThrow(/SIRA_BLIND_INDEX_KEY is required/);
  });

  it("compose's Redis runs with the settings production insists on (AOF every second, no eviction)", () => {
    const command = compose.services.redis?.command;
    const words = Array.isArray(command) ? command.join(' ') : String(command);
    expect(words).toMatch(/--appendonly yes/);
    expect(words).toMatch(/--appendfsync (everysec|always)/);
    expect(words).toMatch(/--maxmemory-policy noeviction/);
  });
});
