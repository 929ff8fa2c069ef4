import type { CallbackRequest } from '../../callbacks';
import type { QueueItem } from '../staff-queue.service';
import type { StaffUser } from '../staff.types';
import { requestPage, type RequestPageData } from './request.view';

const agent = { id: 'a1', email: 'a@sira.test', displayName: 'Awa', role: 'agent', languages: ['fr'], active: true } as StaffUser;
const request = {
  id: '00000000-0000-4000-8000-000000000001',
  refCode: 'K7Q2',
  topic: 'legal',
  urgent: false,
  callLanguage: 'fr',
  windows: [],
  voicemailSafe: false,
  smsSafe: false,
  status: 'claimed',
  attempt: 1,
  claims: 1,
  claimedBy: 'a1',
  channel: 'sms',
  createdAt: new Date(0),
} as unknown as CallbackRequest;

function page(over: Partial<RequestPageData> = {}): string {
  return requestPage({
    staff: agent,
    csrf: 't',
    request,
    item: { ...request, callableNow: true, nextCallAt: new Date(0) } as unknown as QueueItem,
    history: { transitions: [], outcomes: [] },
    names: new Map([['a1', 'Awa']]),
    colleagues: [agent],
    maxAttempts: 3,
    ...over,
  });
}

describe('the request page: "Appeler via Sira"', () => {
  it('is offered to the holder when a voice line is configured, the reveal beside it', () => {
    const html = page({ calls: { available: true, hasPhone: true, calls: [] } });
    expect(html).toContain(`action="/staff/requests/${request.id}/call"`);
    expect(html).toContain('Afficher le numéro');
  });

  it('is not offered without a voice line (the reveal stays), nor to someone else, and asks for her phone first', () => {
    for (const html of [page(), page({ calls: { available: false, hasPhone: true, calls: [] } })]) {
      expect(html).not.toContain('Appeler via Sira');
      expect(html).toContain('Afficher le numéro');
    }
    const supervisor = { ...agent, id: 's1', role: 'supervisor' } as StaffUser;
    expect(page({ staff: supervisor, calls: { available: true, hasPhone: true, calls: [] } })).not.toContain('/call"');
    expect(page({ calls: { available: true, hasPhone: false, calls: [] } })).toContain('ajoutez votre téléphone');
  });
});
