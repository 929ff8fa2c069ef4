import { Module } from '@nestjs/common';
import { ContactsRepository } from './contacts.repository';

/** Needs the global DatabaseModule and CryptoModule imported once by the application module. */
@Module({
  providers: [ContactsRepository],
  exports: [ContactsRepository],
})
export class ContactsModule {}
