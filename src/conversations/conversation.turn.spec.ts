import { SESSION_SCHEMA_VERSION, type Session } from '../engine/engine.types';
import { seedSession } from './conversation.turn';

const stored: Session = {
  v: SESSION_SCHEMA_VERSION,
  at: { flow: 'menu', node: 'main' },
  history: [],
  misses: 0,
  question: 3,
  lastActiveAt: 1,
  vars: {},
};

describe('seedSession', () => {
  it('leaves a brand-new contact without a session, so the engine asks for her language', () => {
    expect(seedSession(null, { language: null, optedOut: false }, 5)).toBeNull();
  });

  it('starts a returning contact whose session expired afresh in her language', () => {
    expect(seedSession(null, { language: 'bm', optedOut: false }, 5)).toMatchObject({ language: 'bm', ended: true, lastActiveAt: 5, vars: {} });
  });

  it('gives an opted-out contact without a session an ended one, so START is understood', () => {
    expect(seedSession(null, { language: null, optedOut: true }, 5)).toMatchObject({ ended: true });
  });

  it('adds her language to a session that lacks it and never overrides the session’s own', () => {
    expect(seedSession(stored, { language: 'en', optedOut: false }, 5)?.language).toBe('en');
    expect(seedSession({ ...stored, language: 'fr' }, { language: 'en', optedOut: false }, 5)?.language).toBe('fr');
  });
});
