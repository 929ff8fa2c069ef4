/**
 * The staff API's OpenAPI 3.1 document, written by hand (small, and it states the roles and the CSRF
 * rule, which generators do not). A test checks that every path here is a registered route and back.
 */
type Role = 'agent' | 'supervisor' | 'admin' | 'translator';

/** The roles that call women back; translators reach only their own account (and sign-out) here. */
const ALL: Role[] = ['agent', 'supervisor', 'admin'];
const EVERY: Role[] = ['agent', 'supervisor', 'admin', 'translator'];
const SUP: Role[] = ['supervisor', 'admin'];
const ADM: Role[] = ['admin'];

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }];

function op(summary: string, roles: Role[] | 'public', ok: object, extra: Record<string, unknown> = {}) {
  const changes = extra.method !== 'get';
  const { method: _m, responses, ...rest } = extra;
  return {
    summary,
    'x-roles': roles,
    ...(roles === 'public' ? { security: [] } : {}),
    ...(changes && roles !== 'public' ? { parameters: [{ $ref: '#/components/parameters/csrf' }, ...((rest.parameters as object[]) ?? [])] } : {}),
    ...rest,
    responses: {
      '200': { description: 'OK', ...json(ok) },
      ...(roles === 'public' ? {} : { '401': { description: 'not signed in' }, '403': { description: 'role not allowed, or CSRF token missing' } }),
      '404': { description: 'no such request or account' },
      '409': { description: 'the request has moved on (taken by someone else, expired, closed)' },
      ...((responses as object) ?? {}),
    },
  };
}

/** An agent's view of requests (src/staff/request-access.ts): outside her call languages a request is unknown to her. */
const HIDDEN = { '404': { description: 'no such request — also when it is outside an agent’s call languages (unless she holds it): its existence is not confirmed' } };
const HOLDER = { '403': { description: 'role not allowed, CSRF token missing, or (agents) the request is held by someone else / not taken by you' } };
const REVEAL_LIMITED = {
  '429': {
    description: 'more than STAFF_REVEALS_PER_HOUR numbers revealed by this account in the current clock hour: no number; `Retry-After` gives the seconds to the next hour; audited (`reveal_limited`) and shown to supervisors',
    headers: { 'Retry-After': { schema: { type: 'integer' } } },
    ...json({ type: 'object', properties: { statusCode: { const: 429 }, message: { type: 'string' }, retryAfterSeconds: { type: 'integer' } } }),
  },
};

const body = (schema: object) => ({ requestBody: { required: true, ...json(schema) } });

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Sira staff API',
    version: '1.0.0',
    description:
      'Callback requests for staff. Sign in with POST /session (get a CSRF token first with GET /session); the session is an httpOnly cookie. ' +
      'Every POST/PATCH/DELETE needs the X-CSRF-Token header. `x-roles` lists the roles allowed. A number is only returned by /reveal, which is audited.',
  },
  servers: [{ url: '/staff/api' }],
  security: [{ session: [] }],
  paths: {
    '/openapi.json': { get: op('This document', 'public', { type: 'object' }, { method: 'get' }) },
    '/session': {
      get: op('Who is signed in, and a CSRF token', 'public', ref('Session'), { method: 'get' }),
      post: {
        ...op(
          'Sign in, in one call: e-mail, password and, for an account with a second factor, `code` (its TOTP code or a recovery code). 401 with `secondFactor: "required"` when the code is missing; 401 for a wrong or reused code. Every attempt is counted per account-and-address and per address (429 with Retry-After). `stage` other than `full`: a password change or an enrolment is still owed, and only `next` can be reached (docs/staff-roles.md).',
          'public',
          ref('Session'),
          body(ref('Login')),
        ),
        parameters: [{ $ref: '#/components/parameters/csrf' }],
      },
      delete: op('Sign out', EVERY, { type: 'object' }),
    },
    '/queue': { get: op('Open requests: urgent first, then callable now, then oldest. Never a number. Agents: only those in their call languages (and not held by a colleague); supervisors: all.', ALL, { type: 'object', properties: { items: { type: 'array', items: ref('Request') } } }, { method: 'get' }) },
    '/queue/take-next': { post: op('Claim the next request callable now in one of my languages (atomic)', ALL, ref('TakeNext')) },
    '/requests/{id}': { get: op('One request and its history (with outcome notes). Agents: only in their call languages, or one they hold.', ALL, { type: 'object' }, { method: 'get', parameters: idParam, responses: HIDDEN }) },
    '/requests/{id}/claim': {
      post: op('Take this waiting request. Agents: only one callable now (409 otherwise); one already held by the caller (assigned by a supervisor) is answered as is.', ALL, { type: 'object' }, {
        parameters: idParam,
        responses: { ...HIDDEN, '409': { description: 'not callable now (agents: outside her window or staff hours), or taken by someone else / not waiting' } },
      }),
    },
    '/requests/{id}/release': { post: op('Give a held request back to the queue', ALL, { type: 'object' }, { parameters: idParam, responses: { ...HOLDER, ...HIDDEN } }) },
    '/requests/{id}/reveal': {
      post: op('Her number (holder or supervisor; rate-limited per account; audited; not cached)', ALL, { type: 'object', properties: { number: { type: 'string' }, hideAfterSeconds: { type: 'integer' } } }, {
        parameters: idParam,
        responses: { ...HOLDER, ...HIDDEN, '409': { description: 'the request is closed: its number is no longer shown' }, ...REVEAL_LIMITED },
      }),
    },
    '/requests/{id}/call': {
      post: op('Call her through Sira (only the holder herself, only with a voice line): the caller’s own phone (account page) rings, then hers from Sira’s number; her number is never returned. The outcome is recorded by itself.', ALL, { type: 'object', properties: { calling: { type: 'boolean' } } }, {
        parameters: idParam,
        responses: {
          ...HOLDER,
          '404': { description: 'no such request (as for reveal), or no voice line configured: reveal the number instead' },
          '409': { description: 'not taken, no phone on the caller’s account, or a call through Sira already going on' },
          '502': { description: 'the voice provider refused to place the call' },
        },
      }),
    },
    '/requests/{id}/outcome': { post: op('Record the outcome of a call', ALL, { type: 'object' }, { parameters: idParam, ...body(ref('Outcome')), responses: { ...HOLDER, ...HIDDEN } }) },
    '/requests/{id}/reassign': {
      post: op('Give the request to another staff member', SUP, { type: 'object' }, {
        parameters: idParam,
        ...body({ type: 'object', required: ['to'], properties: { to: { type: 'string', format: 'uuid' } } }),
        responses: { '400': { description: 'no such active staff member, or an agent who does not call in the request’s language' } },
      }),
    },
    '/stats': { get: op('Counts and waiting times', SUP, { type: 'object' }, { method: 'get' }) },
    '/insights': {
      get: op('Aggregate counts per day (or ISO week / month) and flow, node, language, channel; cells below INSIGHTS_MIN_CELL and their complements are suppressed (no count). ?from=YYYY-MM-DD&to=YYYY-MM-DD[&by=flow|node|language|channel][&period=day|week|month]; 400 on bad dates', SUP, { type: 'object' }, { method: 'get' }),
    },
    '/broadcasts': {
      post: op('Draft a broadcast to the subscribers of a topic: 201 {id, status: "draft"}; 422 names the word of a notice the discretion or segment check refuses', SUP, { type: 'object' }, {
        ...body({
          type: 'object',
          required: ['topic', 'notice', 'news'],
          properties: {
            topic: { enum: ['reparations', 'testimony'] },
            notice: { type: 'object', additionalProperties: { type: 'string' }, description: 'language → the SMS that lands on her phone: says only that there is news and how to read it (INFO)' },
            noticeOneWay: { type: 'object', additionalProperties: { type: 'string' }, description: 'language → the notice for contacts on a one-way SMS line (BROADCAST_ONE_WAY_LINES), naming the way that works' },
            news: { type: 'object', additionalProperties: { type: 'string' }, description: 'language → the news INFO shows, under CONTENT_MIN_STATUS' },
            source: { type: 'string', description: 'where the news comes from (domain-facts.md section or a named source)' },
            sendAt: { type: ['string', 'null'], format: 'date-time' },
          },
        }),
        responses: { '201': { description: 'drafted' }, '400': { description: 'a missing or malformed field' }, '422': { description: 'a notice names a topic, an organisation, reparations, violence, testimony… (the word is in the message), or is over the segment budget' } },
      }),
    },
    '/broadcasts/{id}': { get: op('A broadcast: status, preview (recipients by language and channel, segments and encoding, cost, fallbacks, one-way lines, days of delivery) and report (counts only)', SUP, { type: 'object' }, { method: 'get', parameters: idParam }) },
    '/broadcasts/{id}/approve': {
      post: op('Approve a draft: another supervisor or admin than its drafter (403 for the drafter), unless BROADCAST_TWO_PERSON=false and `confirm` is "APPROUVER" (audited as self-approval)', SUP, { type: 'object' }, {
        parameters: idParam,
        requestBody: { required: false, ...json({ type: 'object', properties: { confirm: { type: 'string' }, newsReviewed: { type: 'array', items: { type: 'string' }, description: 'languages whose news this (second) reader raises to reviewed' } } }) },
      }),
    },
    '/broadcasts/{id}/cancel': { post: op('Cancel: stops what is not yet sent (queued notices are taken back)', SUP, { type: 'object' }, { parameters: idParam }) },
    '/audit': { get: op('The audit log, newest first (?limit, ?offset)', SUP, { type: 'object' }, { method: 'get' }) },
    '/users': {
      get: op('Staff accounts', ADM, { type: 'object' }, { method: 'get' }),
      post: op('Create a staff account', ADM, { type: 'object' }, body(ref('NewUser'))),
    },
    '/users/{id}': {
      patch: op('Change role, languages, activity, or reset the password (the account changes it at its next sign-in). 409 for the admin’s own role, activity or password.', ADM, { type: 'object' }, {
        parameters: idParam,
        ...body(ref('UserChanges')),
        responses: { '409': { description: 'an admin changing her own role, activity or password' } },
      }),
    },
    '/users/{id}/second-factor/reset': {
      post: op('Reset another account’s second factor (audited; its sessions end, it enrols again). 409 for one’s own.', ADM, { type: 'object' }, {
        parameters: idParam,
        responses: { '409': { description: 'one’s own second factor: replace it from /staff/account with a code' } },
      }),
    },
    '/users/{id}/sessions': { delete: op('End every session of an account (one’s own: all but this one); audited', ADM, { type: 'object', properties: { ended: { type: 'integer' } } }, { parameters: idParam }) },
    '/account/sessions': {
      get: op('My open sessions: opened, last seen, browser family, partial address; `current` marks this one', EVERY, { type: 'object', properties: { sessions: { type: 'array', items: ref('StaffSession') } } }, { method: 'get' }),
    },
    '/account/sessions/{id}': {
      delete: op('End one of my sessions (audited)', EVERY, { type: 'object' }, { parameters: idParam }),
    },
  },
  components: {
    securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'sira_staff' } },
    parameters: { csrf: { name: 'X-CSRF-Token', in: 'header', required: true, schema: { type: 'string' } } },
    schemas: {
      Login: {
        type: 'object',
        required: ['email', 'password'],
        properties: { email: { type: 'string' }, password: { type: 'string' }, code: { type: 'string', description: '6-digit TOTP code or a recovery code (accounts with a second factor)' } },
      },
      Session: {
        type: 'object',
        properties: {
          staff: { oneOf: [ref('Staff'), { type: 'null' }] },
          csrfToken: { type: 'string' },
          stage: { enum: ['full', 'password', 'enrol'] },
          next: { type: 'string', description: 'the page sign-in continues on' },
        },
      },
      StaffSession: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          createdAt: { type: 'string', format: 'date-time' },
          lastSeenAt: { type: 'string', format: 'date-time' },
          userAgent: { type: ['string', 'null'] },
          addressHint: { type: ['string', 'null'] },
          current: { type: 'boolean' },
        },
      },
      Staff: {
        type: 'object',
        properties: { id: { type: 'string' }, email: { type: 'string' }, displayName: { type: 'string' }, role: { enum: ['agent', 'supervisor', 'admin', 'translator'] }, languages: { type: 'array', items: { type: 'string' } }, active: { type: 'boolean' }, secondFactor: { type: 'boolean' } },
      },
      Request: {
        type: 'object',
        description: 'A callback request as staff see it: never her number.',
        properties: {
          id: { type: 'string' }, refCode: { type: 'string' }, topic: { enum: ['reparations', 'testimony', 'legal', 'other', 'safety'] }, urgent: { type: 'boolean' },
          callLanguage: { type: 'string' }, windows: { type: 'array', items: { type: 'object', properties: { days: { type: 'array', items: { type: 'integer' } }, fromMinute: { type: 'integer' }, toMinute: { type: 'integer' } } } },
          voicemailSafe: { type: 'boolean' }, smsSafe: { type: 'boolean' }, status: { enum: ['pending', 'claimed', 'no_answer', 'completed', 'cancelled', 'unreachable'] },
          attempt: { type: 'integer' }, claimedBy: { type: ['string', 'null'] }, createdAt: { type: 'string', format: 'date-time' }, callableNow: { type: 'boolean' },
          nextCallAt: { type: ['string', 'null'], format: 'date-time' }, waitingMinutes: { type: 'integer' },
        },
      },
      TakeNext: { type: 'object', properties: { result: { enum: ['claimed', 'already_holding', 'empty'] }, request: { oneOf: [ref('Request'), { type: 'null' }] } } },
      Outcome: {
        type: 'object',
        required: ['outcome'],
        properties: {
          outcome: { enum: ['reached', 'no_answer', 'wrong_number', 'asked_to_stop', 'rescheduled'] },
          note: { type: 'string', maxLength: 500, description: 'stored encrypted' },
          partOfDay: { enum: ['morning', 'afternoon', 'evening'], description: 'rescheduled only' },
          days: { enum: ['any', 'weekdays', 'weekend'], description: 'rescheduled only' },
        },
      },
      NewUser: {
        type: 'object',
        required: ['email', 'displayName', 'password', 'role'],
        properties: { email: { type: 'string' }, displayName: { type: 'string' }, password: { type: 'string', minLength: 12 }, role: { enum: ['agent', 'supervisor', 'admin', 'translator'] }, languages: { type: 'array', items: { type: 'string' } } },
      },
      UserChanges: {
        type: 'object',
        properties: { displayName: { type: 'string' }, role: { enum: ['agent', 'supervisor', 'admin', 'translator'] }, languages: { type: 'array', items: { type: 'string' } }, active: { type: 'boolean' }, password: { type: 'string', minLength: 12 } },
      },
    },
  },
} as const;
