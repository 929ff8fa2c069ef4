export { AddressMismatchError, ContactNotFoundError } from './contact';
export type { ChannelName, ConsentState, Contact } from './contact';
export { ContactsModule } from './contacts.module';
export { ContactsRepository } from './contacts.repository';
export { contacts } from './contacts.schema';
