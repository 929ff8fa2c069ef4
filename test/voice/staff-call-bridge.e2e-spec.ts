/**
 * "Appeler via Sira": staff call her without seeing her number. Against the running application with
 * real signed Twilio webhooks and the fake Twilio REST API: the call placed to the agent's own phone
 * (the "fake agent phone" is the Calls.json request it records), the webhook Twilio sends when the agent
 * answers (TwiML `<Dial callerId=Sira's number>` her number), then the Dial's action with her leg's
 * outcome, written to the request and audited; no page, no URL and no log line ever holds her number.
 */
import { eq } from 'drizzle-orm';
import { CallbackOutcomesRepository } from '../../src/callbacks/callback-outcomes.repository';
import { CallbackRequestsRepository } from '../../src/callbacks/callback-requests.repository';
import { TWILIO_VOICE_BRIDGE_DONE_PATH, TWILIO_VOICE_BRIDGE_PATH, TWILIO_VOICE_BRIDGE_STATUS_PATH } from '../../src/channels/twilio-voice/twilio-voice-bridge.paths';
import { DATABASE } from '../../src/db/database.module';
import type { Database } from '../../src/db/open-database';
import { AuditLogRepository } from '../../src/staff/audit-log.repository';
import { staffUsers } from '../../src/staff/staff.schema';
import type { StaffUser } from '../../src/staff/staff.types';
import { LogCapture, PUBLIC_BASE_URL, startApp, twilioEnv } from '../support/app-harness';
import { createTestDatabase, deleteRedisPrefix, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, testPrefix } from '../sms/sms-test.helpers';
import { postTwilio } from '../sms/twilio-test.harness';
import { ADMIN_EMAIL, ADMIN_PASSWORD, StaffClient, THURSDAY_0930, type Reply, type StaffApp } from '../staff/staff-harness';
import { PASSWORD, pendingRequest, staffMember } from '../staff/staff-fixtures';
import { ManualClock } from '../../src/common/clock';
import { ContactEventRegistry } from '../../src/conversations/contact-event.registry';
import type { ContactEventContext } from '../../src/conversations/contact-event';
import { StaffCallErasure } from '../../src/staff/staff-call.erasure';
import { FakeTwilioVoiceServer } from './fake-twilio-voice.server';
import { callSid, VOICE_NUMBER } from './voice-call.helpers';

jest.setTimeout(60_000);

/** The agent's own phone (a French mobile): the "fake agent phone" Sira calls first. */
const AGENT_PHONE = '+33612345678';

describe('staff call her through Sira without seeing her number (Twilio Voice)', () => {
  const fake = new FakeTwilioVoiceServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  const prefix = testPrefix('staffcall');
  const logs = new LogCapture();
  /** every staff page and reply the test saw: none may hold her number. */
  const seen: string[] = [];
  const herNumbers: string[] = [];
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: StaffApp;
  let agentUser: StaffUser;
  let agent: StaffClient;

  beforeAll(async () => {
    await fake.start();
    db = await createTestDatabase('staffcall');
    const clock = new ManualClock(THURSDAY_0930);
    const env = twilioEnv(fake, {
      TWILIO_VOICE_NUMBERS: VOICE_NUMBER,
      STAFF_ADMIN_EMAIL: ADMIN_EMAIL,
      STAFF_ADMIN_PASSWORD: ADMIN_PASSWORD,
      STAFF_2FA_REQUIRED_ROLES: 'none',
      STAFF_SESSION_IDLE_MINUTES: '1440',
      STAFF_SESSION_MAX_HOURS: '168',
    });
    app = { ...(await startApp({ prefix, databaseUrl: db.url, env, clock, logs, logLevel: 'debug' })), clock };
    agentUser = await staffMember(app, 'agent');
    agent = await signedIn(agentUser);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await fake.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  async function signedIn(user: StaffUser): Promise<StaffClient> {
    const client = new StaffClient(app.url);
    await client.login(user.email, PASSWORD);
    return client;
  }

  async function page(client: StaffClient, path: string): Promise<Reply> {
    const reply = await client.get(path);
    seen.push(reply.text, reply.location ?? '');
    return reply;
  }

  async function post(client: StaffClient, path: string, fields: Record<string, string> = {}): Promise<Reply> {
    const reply = await client.post(path, fields);
    seen.push(reply.text, reply.location ?? '');
    return reply;
  }

  async function saveAgentPhone(): Promise<void> {
    await page(agent, '/staff/account');
    expect((await post(agent, '/staff/account/phone', { phone: '+33 6 12 34 56 78' })).location).toBe('/staff/account?m=phone_saved');
  }

  /** A request she made, claimed by the agent, with her number kept aside to look for it. */
  async function claimedRequest() {
    const req = await pendingRequest(app);
    herNumbers.push((await app.app.get(CallbackRequestsRepository).revealNumber(req.id))!);
    await page(agent, `/staff/requests/${req.id}`);
    expect((await post(agent, `/staff/requests/${req.id}/claim`)).status).toBe(303);
    return { req, number: herNumbers.at(-1)! };
  }

  /** "Appeler via Sira", then the call Sira placed at the fake: the webhook path Twilio will call. */
  async function callThroughSira(id: string): Promise<string> {
    const before = fake.placed().length;
    await page(agent, `/staff/requests/${id}`);
    const reply = await post(agent, `/staff/requests/${id}/call`);
    expect(reply.location).toBe(`/staff/requests/${id}?m=calling`);
    const placed = fake.placed();
    expect(placed).toHaveLength(before + 1);
    const call = placed.at(-1)!;
    expect(call).toMatchObject({ to: AGENT_PHONE, from: VOICE_NUMBER, machineDetection: 'Enable' });
    expect(call.url!.startsWith(`${PUBLIC_BASE_URL}${TWILIO_VOICE_BRIDGE_PATH}?c=`)).toBe(true);
    expect(call.statusCallback!.startsWith(`${PUBLIC_BASE_URL}${TWILIO_VOICE_BRIDGE_STATUS_PATH}?c=`)).toBe(true);
    // the token is opaque: neither her number nor the request's id
    expect(call.url).not.toContain(id);
    seen.push(call.url!, call.statusCallback!);
    return call.url!.slice(PUBLIC_BASE_URL.length);
  }

  /** The agent's leg, as the fake placed it (its sid is the CallSid of Twilio's webhooks for it). */
  const agentLeg = (path: string) => fake.placed().find((c) => c.url === `${PUBLIC_BASE_URL}${path}`)!;

  const agentAnswers = (path: string, extra: Record<string, string> = {}) =>
    postTwilio(app, path, { CallSid: agentLeg(path)?.sid ?? callSid(), AccountSid: TEST_ACCOUNT_SID, From: VOICE_NUMBER, To: AGENT_PHONE, CallStatus: 'in-progress', Direction: 'outbound-api', AnsweredBy: 'human', ...extra });

  function dialOf(xml: string) {
    const m = /<Dial ([^>]*)><Number>([^<]*)<\/Number><\/Dial>/.exec(xml);
    if (!m) return undefined;
    const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(m[1])?.[1]?.replace(/&amp;/g, '&');
    return { callerId: attr('callerId'), action: attr('action'), number: m[2] };
  }

  const dialDone = (action: string, status: string, seconds?: string, dialSid = callSid()) =>
    postTwilio(app, action.slice(PUBLIC_BASE_URL.length), {
      CallSid: callSid(), AccountSid: TEST_ACCOUNT_SID, DialCallStatus: status, ...(seconds ? { DialCallDuration: seconds } : {}), DialCallSid: dialSid,
    });

  const audit = (id: string) => app.app.get(AuditLogRepository).forRequest(id);

  it('keeps her own phone encrypted and masked on the account page, checked with libphonenumber-js', async () => {
    await page(agent, '/staff/account');
    expect((await post(agent, '/staff/account/phone', { phone: '12345' })).status).toBe(400);
    expect((await post(agent, '/staff/account/phone', { phone: '+33 1' })).status).toBe(400);
    await page(agent, '/staff/account');
    expect((await post(agent, '/staff/account/phone', { phone: '+33 6 12 34 56 78', _csrf: 'forged' })).status).toBe(403);
    await saveAgentPhone();
    const account = await page(agent, '/staff/account');
    expect(account.text).toContain('Mon téléphone (appels via Sira)');
    expect(account.text).toContain('+33 •••••••78');
    const [row] = await app.app.get<Database>(DATABASE).select({ enc: staffUsers.phoneEnc }).from(staffUsers).where(eq(staffUsers.id, agentUser.id));
    expect(row.enc).toBeTruthy();
    expect(row.enc).not.toContain('612345678');
  });

  it('calls the agent, then dials her from Sira’s number; an answered call completes the request', async () => {
    await saveAgentPhone();
    const { req, number } = await claimedRequest();
    const before = await page(agent, `/staff/requests/${req.id}`);
    expect(before.text).toContain('Appeler via Sira');
    expect(before.text).toContain('Afficher le numéro'); // the reveal stays beside it
    const bridge = await callThroughSira(req.id);

    // no signature header at all: refused before the body is read; a forged one: refused, and dials nobody
    expect((await postTwilio(app, bridge, { CallSid: callSid(), AccountSid: TEST_ACCOUNT_SID, From: VOICE_NUMBER, To: AGENT_PHONE }, { signature: null })).status).toBe(403);
    expect((await postTwilio(app, bridge, { CallSid: callSid(), AccountSid: TEST_ACCOUNT_SID, From: VOICE_NUMBER, To: AGENT_PHONE }, { signature: 'A'.repeat(27) + '=' })).status).toBe(403);

    const answered = await agentAnswers(bridge);
    expect(answered.status).toBe(200);
    expect(answered.contentType).toMatch(/text\/xml/);
    const dial = dialOf(answered.text)!;
    expect(dial).toMatchObject({ callerId: VOICE_NUMBER, number });
    expect(dial.action!.startsWith(`${PUBLIC_BASE_URL}${TWILIO_VOICE_BRIDGE_DONE_PATH}?c=`)).toBe(true);
    // Twilio repeating the webhook does not dial her twice
    expect(dialOf((await agentAnswers(bridge)).text)).toBeUndefined();

    // her leg, as Twilio keeps it (the fake learns of it: Twilio placed it, not Sira's REST call)
    const herLeg = callSid();
    fake.recordCall(herLeg, VOICE_NUMBER, number);
    const done = await dialDone(dial.action!, 'completed', '95', herLeg);
    expect(done.status).toBe(200);
    expect(done.text).toContain('<Hangup/>');
    expect(await app.app.get(CallbackRequestsRepository).findById(req.id)).toMatchObject({ status: 'completed', claimedBy: null });
    const outcomes = await app.app.get(CallbackOutcomesRepository).forRequest(req.id);
    expect(outcomes).toMatchObject([{ outcome: 'reached', staffId: agentUser.id, note: 'Appel via Sira : répondu, 1 min 35 s' }]);
    const actions = (await audit(req.id)).map((a) => [a.action, a.detail]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['staff_call', expect.objectContaining({ attempt: 1 })],
        ['staff_call_connected', expect.objectContaining({ attempt: 1 })],
        ['staff_call_ended', expect.objectContaining({ dial_status: 'completed', seconds: 95, outcome: 'reached', recorded: true })],
        ['outcome', expect.objectContaining({ outcome: 'reached', status: 'completed' })],
      ]),
    );
    const after = await page(agent, `/staff/requests/${req.id}`);
    expect(after.text).toContain('Appels via Sira');
    expect(after.text).toContain('elle a répondu');
    expect(after.text).toContain('95 s');
    // the same outcome webhook again changes nothing
    await dialDone(dial.action!, 'completed', '95', herLeg);
    expect(await app.app.get(CallbackOutcomesRepository).forRequest(req.id)).toHaveLength(1);

    // her erasure (a before-handler of erase_requested) asks Twilio to delete both legs and their logs
    expect(app.app.get(ContactEventRegistry).handlersFor('erase_requested').map((h) => h.name)).toContain('StaffCallErasure.forgetCalls');
    await app.app.get(StaffCallErasure).forgetCalls({ type: 'erase_requested' }, { contact: { id: req.contactId } } as ContactEventContext);
    expect(fake.calls.find((c) => c.sid === herLeg)?.deleted).toBe(true);
    expect(fake.calls.find((c) => c.url === `${PUBLIC_BASE_URL}${bridge}`)?.deleted).toBe(true);
  });

  it('writes no answer and busy as unanswered calls (a retry in her next window); a failed dial leaves it held', async () => {
    await saveAgentPhone();
    for (const [status, note] of [
      ['no-answer', 'Appel via Sira : pas de réponse'],
      ['busy', 'Appel via Sira : occupé'],
    ] as const) {
      const { req } = await claimedRequest();
      const dial = dialOf((await agentAnswers(await callThroughSira(req.id))).text)!;
      await dialDone(dial.action!, status, '0');
      expect(await app.app.get(CallbackRequestsRepository).findById(req.id)).toMatchObject({ status: 'no_answer', attempt: 1, claimedBy: null });
      expect(await app.app.get(CallbackOutcomesRepository).forRequest(req.id)).toMatchObject([{ outcome: 'no_answer', note }]);
      expect((await audit(req.id)).find((a) => a.action === 'staff_call_ended')?.detail).toMatchObject({ dial_status: status, outcome: 'no_answer', recorded: true });
    }
    const { req } = await claimedRequest();
    const dial = dialOf((await agentAnswers(await callThroughSira(req.id))).text)!;
    await dialDone(dial.action!, 'failed');
    expect(await app.app.get(CallbackRequestsRepository).findById(req.id)).toMatchObject({ status: 'claimed', claimedBy: agentUser.id });
    expect(await app.app.get(CallbackOutcomesRepository).forRequest(req.id)).toEqual([]);
    expect((await audit(req.id)).find((a) => a.action === 'staff_call_ended')?.detail).toMatchObject({ dial_status: 'failed', outcome: 'none', recorded: false });
    expect((await page(agent, `/staff/requests/${req.id}`)).text).toContain('échec');
    await post(agent, `/staff/requests/${req.id}/release`);
  });

  it('lets only the holder start it, and only with her phone on her account', async () => {
    const { req } = await claimedRequest();
    const placedBefore = fake.placed().length;
    const colleague = await signedIn(await staffMember(app, 'agent'));
    const supervisor = await signedIn(await staffMember(app, 'supervisor'));
    for (const other of [colleague, supervisor]) {
      const html = await page(other, `/staff/requests/${req.id}`);
      expect(html.text).not.toContain('Appeler via Sira');
      expect((await post(other, `/staff/requests/${req.id}/call`)).status).toBe(403);
    }
    // the holder without a phone: told where to add it, and refused
    await page(agent, '/staff/account');
    expect((await post(agent, '/staff/account/phone', { phone: '' })).location).toBe('/staff/account?m=phone_removed');
    expect((await page(agent, `/staff/requests/${req.id}`)).text).toContain('ajoutez votre téléphone');
    expect((await post(agent, `/staff/requests/${req.id}/call`)).status).toBe(409);
    await saveAgentPhone();
    // without the page's CSRF token: refused
    expect((await post(agent, `/staff/requests/${req.id}/call`, { _csrf: 'forged' })).status).toBe(403);
    // a request nobody holds
    const waiting = await pendingRequest(app);
    herNumbers.push((await app.app.get(CallbackRequestsRepository).revealNumber(waiting.id))!);
    await page(agent, `/staff/requests/${waiting.id}`);
    expect((await post(agent, `/staff/requests/${waiting.id}/call`)).status).toBe(409);
    await post(agent, `/staff/requests/${req.id}/release`);
    expect(fake.placed()).toHaveLength(placedBefore); // nobody's phone rang
  });

  it('is in the JSON API too, for the holder only, and never answers with her number', async () => {
    await saveAgentPhone();
    const { req } = await claimedRequest();
    const api = new StaffClient(app.url);
    await api.apiLogin(agentUser.email, PASSWORD);
    const other = await staffMember(app, 'supervisor');
    const sup = new StaffClient(app.url);
    await sup.apiLogin(other.email, PASSWORD);
    expect((await sup.api('POST', `/requests/${req.id}/call`)).status).toBe(403);
    const reply = await api.api('POST', `/requests/${req.id}/call`);
    seen.push(reply.text);
    expect([reply.status, reply.json()]).toEqual([200, { calling: true }]);
    expect(fake.placed().at(-1)).toMatchObject({ to: AGENT_PHONE, from: VOICE_NUMBER });
    expect((await api.api('POST', `/requests/${req.id}/call`)).status).toBe(409); // one at a time
    await api.api('POST', `/requests/${req.id}/release`);
  });

  it('dials nobody when a machine answers the agent’s phone, when it is not answered, or when the request moved on', async () => {
    await saveAgentPhone();
    const { req } = await claimedRequest();
    const machine = await agentAnswers(await callThroughSira(req.id), { AnsweredBy: 'machine_start' });
    expect(machine.text).toContain('<Hangup/>');
    expect(dialOf(machine.text)).toBeUndefined();

    const unanswered = await callThroughSira(req.id);
    const statusPath = unanswered.replace(TWILIO_VOICE_BRIDGE_PATH, TWILIO_VOICE_BRIDGE_STATUS_PATH);
    expect((await postTwilio(app, statusPath, { CallSid: callSid(), AccountSid: TEST_ACCOUNT_SID, CallStatus: 'no-answer' })).status).toBe(200);
    const reasons = (await audit(req.id)).filter((a) => a.action === 'staff_call_ended').map((a) => a.detail.reason);
    expect(reasons.sort()).toEqual(['machine', 'no-answer']);

    const late = await callThroughSira(req.id);
    await post(agent, `/staff/requests/${req.id}/release`);
    const moved = await agentAnswers(late);
    expect(moved.status).toBe(200);
    expect(dialOf(moved.text)).toBeUndefined();
    expect(moved.text).toContain('<Hangup/>');
    expect(await app.app.get(CallbackRequestsRepository).findById(req.id)).toMatchObject({ status: 'pending' });
  });

  it('never showed her number (or the agent’s) on a staff page, in a webhook URL or in a log line', () => {
    expect(herNumbers.length).toBeGreaterThanOrEqual(6);
    expect(logs.lines.length).toBeGreaterThan(0);
    const everything = seen.join('\n') + logs.text();
    for (const n of [...herNumbers, AGENT_PHONE]) {
      expect(everything).not.toContain(n);
      expect(everything).not.toContain(n.slice(1));
    }
  });
});
