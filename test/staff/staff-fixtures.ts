import { windowFor } from '../../src/callbacks/call-windows';
import { CallbackRequestsRepository } from '../../src/callbacks/callback-requests.repository';
import { CallbackScheduler } from '../../src/callbacks/callback.scheduler';
import type { CallbackRequest } from '../../src/callbacks/callback.types';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { StaffUsersRepository } from '../../src/staff/staff-users.repository';
import type { StaffRole, StaffUser } from '../../src/staff/staff.types';
import { malianNumber } from '../sms/sms-test.helpers';
import type { StaffApp } from './staff-harness';

/** A pending request as the callback flow would store it (weekday mornings unless told otherwise). */
export async function pendingRequest(app: StaffApp, overrides: { urgent?: boolean; callLanguage?: string; voicemailSafe?: boolean } = {}): Promise<CallbackRequest> {
  const number = malianNumber();
  const contact = await app.app.get(ContactsRepository).findOrCreate('sms', number, 'twilio');
  const result = await app.app.get(CallbackRequestsRepository).create(
    {
      contactId: contact.id,
      channel: 'sms',
      topic: overrides.urgent ? 'safety' : 'legal',
      urgent: overrides.urgent ?? false,
      callLanguage: overrides.callLanguage ?? 'fr',
      windows: [windowFor('morning', 'weekdays')],
      voicemailSafe: overrides.voicemailSafe ?? false,
      smsSafe: false,
      number,
      consentVersion: 'callback-2026-01',
    },
    new Date(app.clock.now()),
  );
  if (result.kind !== 'created') throw new Error('expected a new request');
  await app.app.get(CallbackScheduler).ensure(result.request);
  app.clock.advance(1_000); // requests get distinct ages
  return result.request;
}

export const PASSWORD = 'staff-password-0000';

export async function staffMember(app: StaffApp, role: StaffRole, languages = ['fr']): Promise<StaffUser> {
  const n = Math.random().toString(36).slice(2, 8);
  return app.app.get(StaffUsersRepository).create({ email: `${role}-${n}@sira.test`, displayName: `${role} ${n}`, password: PASSWORD, role, languages });
}
