import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CONTACT_FORGETTERS, emptyForgetResult, type ContactForgetter, type ContactForgetters, type ForgetContext, type ForgetResult } from '../contact-forgetter';
import { WhatsAppReachability } from './whatsapp-reachability';
import { WhatsAppWindow } from './whatsapp-window';

/**
 * The Cloud API has no call that deletes a message already delivered to her phone, and Sira uploads no
 * media yet: there is nothing to ask Meta. Her contact, sessions and outbound rows are erased locally by
 * the shell, her 24-hour window and unreachable mark here; what stays on her phone and at Meta is not Sira's to delete.
 */
@Injectable()
export class WhatsAppForgetter implements ContactForgetter, OnModuleInit {
  readonly channel = 'whatsapp' as const;
  readonly provider = 'whatsapp' as const;

  constructor(
    @Inject(CONTACT_FORGETTERS) private readonly registry: ContactForgetters,
    @Inject(WhatsAppWindow) private readonly window: WhatsAppWindow,
    @Inject(WhatsAppReachability) private readonly reachability: WhatsAppReachability,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async forget({ address }: ForgetContext): Promise<ForgetResult> {
    await this.window.close(address);
    await this.reachability.forget(address);
    return emptyForgetResult();
  }
}
