import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ContactEventRegistry } from './contact-event.registry';

/**
 * The whole application's start-up check: every contact event with a durable effect has exactly one
 * owner. Provided by the application module only (a slice assembled by a test owns fewer events).
 */
@Injectable()
export class ContactEventsCheck implements OnApplicationBootstrap {
  constructor(@Inject(ContactEventRegistry) private readonly registry: ContactEventRegistry) {}

  onApplicationBootstrap(): void {
    this.registry.assertOwners();
  }
}
