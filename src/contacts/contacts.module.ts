import { Module } from '@nestjs/common';
import { ContactStateHandlers } from './contact-state.handlers';
import { ContactsRepository } from './contacts.repository';

/**
 * Contacts and the events that change them (language, opt-out). Needs the global DatabaseModule and
 * CryptoModule imported once by the application module.
 */
@Module({
  providers: [ContactsRepository, ContactStateHandlers],
  exports: [ContactsRepository],
})
export class ContactsModule {}
