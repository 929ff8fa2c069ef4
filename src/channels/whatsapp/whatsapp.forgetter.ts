import { Injectable, Inject, OnModuleInit } from '@nestjs/common';
import { CONTACT_FORGETTERS, emptyForgetResult, type ContactForgetter, type ContactForgetters, type ForgetResult } from '../contact-forgetter';

/**
 * The Cloud API has no call that deletes a message already delivered to her phone, and Sira uploads no
 * media yet: there is nothing to ask Meta. Her contact, sessions and outbound rows are erased locally by
 * the shell; what stays on her phone and at Meta is hers and Meta's (README, "WhatsApp").
 */
@Injectable()
export class WhatsAppForgetter implements ContactForgetter, OnModuleInit {
  readonly channel = 'whatsapp' as const;
  readonly provider = 'whatsapp' as const;

  constructor(@Inject(CONTACT_FORGETTERS) private readonly registry: ContactForgetters) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async forget(): Promise<ForgetResult> {
    return emptyForgetResult();
  }
}
