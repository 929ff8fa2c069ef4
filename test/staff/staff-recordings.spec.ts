/**
 * Translators record in the staff UI (issue 23): the whole application on real PostgreSQL and Redis,
 * driven over HTTP as a browser without script would — a multipart upload from the page's own form,
 * the refusal of a text file with its reason, review by another translator, no review of one's own take,
 * and the language rule (a translator of bm cannot open ff; an admin opens every language).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLogRepository } from '../../src/staff/audit-log.repository';
import { createTestDatabase, deleteRedisPrefix, testPrefix } from '../sms/sms-test.helpers';
import { writeNotAudio, writeTone } from '../recordings/test-tones';
import { PASSWORD, staffMember } from './staff-fixtures';
import { ADMIN_EMAIL, ADMIN_PASSWORD, StaffClient, startStaffApp, type StaffApp } from './staff-harness';

jest.setTimeout(180_000);

const KEY = 'menu:prompt';

function unescapeAttr(value: string): string {
  return value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** The card of one key on a language page. */
function card(page: string, key: string): string {
  const start = page.indexOf(`data-key="${key}"`);
  if (start < 0) throw new Error(`no card for ${key}`);
  const end = page.indexOf('</section>', start);
  return page.slice(start, end);
}

/** Posts the page's own upload form of `key` (its action, with the CSRF token in it) as a browser would. */
async function uploadFrom(client: StaffClient, page: string, key: string, file: { bytes: Buffer; name: string; type: string }, action?: string) {
  const form = action ? undefined : /<form method="post" enctype="multipart\/form-data" action="([^"]+)">/.exec(card(page, key));
  if (!action && !form) throw new Error('no upload form');
  const body = new FormData();
  body.append('key', key);
  body.append('audio', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const res = await fetch(`${client.base}${action ?? unescapeAttr(form![1])}`, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

describe('recordings in the staff UI (translators)', () => {
  const prefix = testPrefix('staffrec');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: StaffApp;
  let dir: string;
  let tone: Buffer;
  let first: StaffClient;
  let firstName = '';
  let second: StaffClient;
  let secondName = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sira-staff-rec-'));
    await writeTone(join(dir, 'tone.wav'), { seconds: 2, hz: 440 });
    writeNotAudio(join(dir, 'note.txt'));
    tone = readFileSync(join(dir, 'tone.wav'));
    db = await createTestDatabase('staffrec');
    app = await startStaffApp(prefix, db.url);
    first = new StaffClient(app.url);
    const a = await staffMember(app, 'translator', ['bm']);
    const b = await staffMember(app, 'translator', ['bm', 'en']);
    [firstName, secondName] = [a.displayName, b.displayName];
    const signIn = await first.login(a.email, PASSWORD);
    expect([signIn.status, signIn.location]).toEqual([303, '/staff/recordings']);
    second = new StaffClient(app.url);
    await second.login(b.email, PASSWORD);
  });

  afterAll(async () => {
    await app?.close();
    await deleteRedisPrefix(prefix);
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a translator her languages only, with what is recorded and the minutes', async () => {
    const overview = await first.get('/staff/recordings');
    expect(overview.status).toBe(200);
    expect(overview.text).toContain('data-language="bm"');
    expect(overview.text).not.toContain('data-language="ff"');
    expect(overview.text).toContain('<th>Minutes</th>');
    // no link to the callback side, and the CSP lets the players play (nothing more)
    expect(overview.text).not.toContain('href="/staff/queue"');
    expect(overview.headers.get('content-security-policy')).toContain("media-src 'self'");
    expect(overview.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(overview.headers.get('content-security-policy')).not.toContain('script-src');
  });

  it('lists every key with its French text and an upload form that opens the recorder', async () => {
    const page = await first.get('/staff/recordings/bm');
    expect(page.status).toBe(200);
    const prompt = card(page.text, KEY);
    expect(prompt).toContain('data-state="missing"');
    expect(prompt).toContain('Sira ka menu');
    expect(prompt).toContain('<input id="f-menu:prompt" type="file" name="audio" accept="audio/*" capture required>');
    expect(prompt).toMatch(/action="\/staff\/recordings\/bm\/upload\?_csrf=[^"]+"/);
    expect(page.text).toContain(`<a href="#k-${KEY}">${KEY}</a>`);
    expect(page.text).not.toContain('<script');
  });

  it('stores an upload, lists it with a player whose audio answers, and audits it without the audio', async () => {
    const page = await first.get('/staff/recordings/bm');
    const reply = await uploadFrom(first, page.text, KEY, { bytes: tone, name: 'prompt.wav', type: 'audio/wav' });
    expect([reply.status, reply.location]).toEqual([303, `/staff/recordings/bm?m=added#k-${encodeURIComponent(KEY)}`]);
    const after = await first.get('/staff/recordings/bm?m=added');
    const prompt = card(after.text, KEY);
    expect(prompt).toContain('data-state="recorded"');
    expect(prompt).toContain(`enregistré par ${firstName}`);
    expect(prompt).toContain('data-status="draft"');
    const src = /<audio controls preload="none" src="(\/audio\/[0-9a-f]{64}\.mp3)"><\/audio>/.exec(prompt)?.[1];
    expect(src).toBeDefined();
    const audio = await fetch(`${app.url}${src}`);
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/mpeg');
    expect(after.text).not.toContain(`<a href="#k-${KEY}">`); // no longer in "to record"
    const audit = (await app.app.get(AuditLogRepository).latest()).find((e) => e.action === 'recording_uploaded');
    expect(audit?.detail).toEqual({ language: 'bm', key: KEY, outcome: 'added', status: 'draft' });
    // the overview counts it
    expect((await first.get('/staff/recordings')).text).toMatch(/data-language="bm">.*<td>1\/\d+<\/td>/);
  });

  it('refuses a text file with the reason on the page (422), no stack trace', async () => {
    const page = await first.get('/staff/recordings/bm');
    const reply = await uploadFrom(first, page.text, 'menu:help', { bytes: readFileSync(join(dir, 'note.txt')), name: 'note.txt', type: 'text/plain' });
    expect(reply.status).toBe(422);
    expect(reply.text).toContain('Fichier refusé : not audio');
    expect(reply.text).toContain('role="alert"');
    expect(reply.text).not.toMatch(/AudioRefused|at .*\.ts:\d+|node_modules/);
    expect(card(reply.text, 'menu:help')).toContain('data-state="missing"');
  });

  it('changes nothing for the same audio again; refuses an unknown key, no file, and a missing CSRF token', async () => {
    const page = await first.get('/staff/recordings/bm');
    const withToken = `/staff/recordings/bm/upload?_csrf=${encodeURIComponent(first.csrf)}`;
    const again = await uploadFrom(first, page.text, KEY, { bytes: tone, name: 'a.wav', type: 'audio/wav' });
    expect([again.status, again.location]).toEqual([303, `/staff/recordings/bm?m=unchanged#k-${encodeURIComponent(KEY)}`]);
    const unknown = await uploadFrom(first, page.text, 'menu:nothing_here', { bytes: tone, name: 'a.wav', type: 'audio/wav' }, withToken);
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('Refusé : unknown text key');
    const noFile = await first.post('/staff/recordings/bm/upload', { key: KEY });
    expect(noFile.status).toBe(400);
    expect(noFile.text).toContain('Choisissez un fichier audio');
    const forged = await uploadFrom(first, page.text, KEY, { bytes: tone, name: 'a.wav', type: 'audio/wav' }, '/staff/recordings/bm/upload');
    expect(forged.status).toBe(403);
    const wrong = await uploadFrom(first, page.text, KEY, { bytes: tone, name: 'a.wav', type: 'audio/wav' }, '/staff/recordings/bm/upload?_csrf=forged');
    expect(wrong.status).toBe(403);    const huge = await uploadFrom(first, page.text, KEY, { bytes: Buffer.alloc(21 * 1024 * 1024, 1), name: 'big.wav', type: 'audio/wav' }, withToken);
    expect(huge.status).toBe(413);
    expect(huge.text).not.toMatch(/at .*\.js:\d+|node_modules/);
  });

  it('refuses the recorder her own review, with the reason', async () => {
    await first.get('/staff/recordings/bm');
    const reply = await first.post('/staff/recordings/bm/status', { key: KEY, status: 'reviewed' });
    expect(reply.status).toBe(403);
    expect(reply.text).toContain('Vous ne pouvez pas relire votre propre enregistrement');
    expect(card(reply.text, KEY)).toContain('data-status="draft"');
  });

  it('lets another translator of the language review it, naming her, audited', async () => {
    await second.get('/staff/recordings/bm');
    const reply = await second.post('/staff/recordings/bm/status', { key: KEY, status: 'reviewed' });
    expect([reply.status, reply.location]).toEqual([303, `/staff/recordings/bm?m=reviewed#k-${encodeURIComponent(KEY)}`]);
    const prompt = card((await second.get('/staff/recordings/bm')).text, KEY);
    expect(prompt).toContain('data-status="reviewed"');
    expect(prompt).toContain(`(par ${secondName}, 2026-01-15)`);
    const audit = (await app.app.get(AuditLogRepository).latest()).find((e) => e.action === 'recording_reviewed');
    expect(audit?.detail).toEqual({ language: 'bm', key: KEY, status: 'reviewed' });
    const bad = await second.post('/staff/recordings/bm/status', { key: KEY, status: 'approved' });
    expect(bad.status).toBe(400);
  });

  it('keeps a translator to her languages, and to the recordings', async () => {
    expect((await first.get('/staff/recordings/ff')).status).toBe(403);
    expect((await first.post('/staff/recordings/ff/status', { key: KEY, status: 'draft' })).status).toBe(403);
    const page = await first.get('/staff/recordings/bm');
    expect((await uploadFrom(first, page.text, KEY, { bytes: tone, name: 'a.wav', type: 'audio/wav' }, `/staff/recordings/ff/upload?_csrf=${encodeURIComponent(first.csrf)}`)).status).toBe(403);
    expect((await first.get('/staff/recordings/xx')).status).toBe(404);
    const queue = await first.get('/staff/queue');
    expect(queue.status).toBe(403);
    expect(queue.text).toContain('<a href="/staff/recordings">Retour</a>'); // her way back is her own page, not another 403
    expect((await first.get('/staff/account')).status).toBe(200);
  });

  it('opens every language to an admin, and none to an agent or a supervisor', async () => {
    const admin = new StaffClient(app.url);
    await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect((await admin.get('/staff/recordings/ff')).status).toBe(200);
    expect((await admin.get('/staff/recordings')).text).toContain('data-language="taq"');
    for (const role of ['agent', 'supervisor'] as const) {
      const user = await staffMember(app, role, ['bm']);
      const client = new StaffClient(app.url);
      await client.login(user.email, PASSWORD);
      expect((await client.get('/staff/recordings')).status).toBe(403);
      expect((await client.get('/staff/recordings/bm')).status).toBe(403);
    }
  });
});
