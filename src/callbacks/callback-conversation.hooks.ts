import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import { ContactsRepository } from '../contacts/contacts.repository';
import { CONTENT } from '../content/content.module';
import type { LoadedContent } from '../content/content.types';
import type { ContactEvent, ContactEventContext, ContactEventOf, ContactEventOutcome } from '../conversations/contact-event';
import { OnContactEvent, TakesPartInTurns, type TurnParticipant } from '../conversations/contact-event.registry';
import type { Settlement, TurnContext } from '../conversations/conversation-hooks';
import type { Output } from '../engine/engine.types';
import { changesFromAnswers, ownPhoneNumber, requestFromAnswers } from './callback-answers';
import { OPEN_STATUSES } from './callback.types';
import { CallbackCommandMatcher, type CallbackCommand } from './callback-commands';
import { CallbackRequestsRepository } from './callback-requests.repository';
import { CallbackScheduler } from './callback.scheduler';
import { CallbackWorkflow } from './callback.workflow';
import { CALLBACK_SETTINGS, type CallbackSettings } from './callback.settings';

/** The texts the shell says for the callback module (locales/<lng>/callback.json). */
export const CALLBACK_TEXTS = {
  failed: 'callback:register_failed',
  alreadyOpen: 'callback:already_open',
  notFound: 'callback:not_found',
  cancelled: 'callback:cancelled',
  cannotCancel: 'callback:cannot_cancel',
  status: (status: string) => `callback:status.${status}`,
  changeOffer: 'callback:change.offer',
  changeFailed: 'callback:change.failed',
} as const;

/**
 * The callback module's part in a conversation turn: facts for the flow (`open_callback`: the code
 * of her open request; `own_number`: she writes from a phone number), registering a request when the
 * flow asks for it (the confirmation is said only once the row has committed), and status / cancel
 * by a word and the code — only among the requests of the identity writing.
 */
@Injectable()
@TakesPartInTurns()
export class CallbackConversationHooks implements TurnParticipant {
  private readonly log = new Logger(CallbackConversationHooks.name);
  private readonly commands: CallbackCommandMatcher;

  constructor(
    @Inject(CallbackRequestsRepository) private readonly requests: CallbackRequestsRepository,
    @Inject(CallbackScheduler) private readonly scheduler: CallbackScheduler,
    @Inject(CallbackWorkflow) private readonly workflow: CallbackWorkflow,
    @Inject(CONTENT) private readonly content: Pick<LoadedContent, 'resources' | 'languages'>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CALLBACK_SETTINGS) private readonly settings: Pick<CallbackSettings, 'offeredChoices' | 'staffHours' | 'noticeFacts'>,
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
  ) {
    this.commands = new CallbackCommandMatcher(content.resources);
  }

  async facts({ contact, msg }: TurnContext): Promise<Record<string, string>> {
    // which call windows and days to offer: only those staff hours cover (call-windows.ts)
    const facts: Record<string, string> = { ...this.settings.offeredChoices, ...this.settings.noticeFacts };
    const open = await this.requests.findOpenByContact(contact.id);
    if (open) facts.open_callback = open.refCode;
    if (ownPhoneNumber(msg.channel, msg.address)) facts.own_number = 'yes';
    return facts;
  }

  async intercept({ contact, msg }: TurnContext): Promise<Output[] | null> {
    if (msg.input.kind !== 'text') return null;
    const command = this.commands.match(msg.input.text);
    return command ? this.runCommand(contact.id, command) : null;
  }

  @OnContactEvent('callback_requested')
  async requested(event: ContactEvent, ctx: ContactEventContext): Promise<ContactEventOutcome> {
    const { vars, consentVersion } = event as ContactEventOf<'callback_requested'>;
    if (!ctx.msg) return { settlement: { text: CALLBACK_TEXTS.failed } };
    try {
      return { settlement: await this.register(vars, consentVersion, { contact: ctx.contact, msg: ctx.msg }) };
    } catch (err) {
      // nothing committed, or we cannot know: she is told it did not work, never given a code
      this.log.warn(`callback request not registered: ${err instanceof Error ? err.name : 'error'}`);
      return { settlement: { text: CALLBACK_TEXTS.failed } };
    }
  }

  @OnContactEvent('callback_changed')
  async changed(event: ContactEvent, { contact }: ContactEventContext): Promise<ContactEventOutcome> {
    const { vars } = event as ContactEventOf<'callback_changed'>;
    const settlement = await this.change(vars, contact.id).catch((err: Error) => {
      this.log.warn(`callback request not changed: ${err.name}`);
      return { text: CALLBACK_TEXTS.changeFailed };
    });
    return { settlement };
  }

  /**
   * Before her erasure deletes her rows (and, by cascade, her requests): their queued jobs go too.
   * A failure here must not stop the erasure; a leftover job finds no row and does nothing.
   */
  @OnContactEvent('erase_requested', { phase: 'before', order: 10 })
  async forgetJobs(_event: ContactEvent, { contact }: ContactEventContext): Promise<ContactEventOutcome> {
    try {
      for (const req of await this.requests.listByContact(contact.id)) await this.scheduler.forget(req);
    } catch (err) {
      this.log.warn(`callback jobs not removed before erasure: ${err instanceof Error ? err.name : 'error'}`);
    }
    return {};
  }

  /**
   * Her consent (given earlier in this conversation, kept only in the session) and her own address
   * are stored with the request, in its one statement: before this, nothing of it was written.
   */
  private async register(vars: Record<string, string>, consentVersion: string | undefined, { contact, msg }: TurnContext): Promise<Settlement> {
    if (!consentVersion) return { text: CALLBACK_TEXTS.failed };
    const input = requestFromAnswers(vars, {
      contactId: contact.id,
      channel: msg.channel,
      address: msg.address,
      languages: this.content.languages.map((l) => l.code),
      consentVersion,
      staffHours: this.settings.staffHours,
    });
    const result = await this.requests.create(input, new Date(this.clock.now()), this.contacts.sealAddress(contact, msg.address));
    if (result.kind === 'already_open') return { text: CALLBACK_TEXTS.alreadyOpen, params: { code: result.request.refCode } };
    this.log.log(`callback request registered (urgent: ${result.request.urgent})`);
    // committed: her code can be said. A queue failure is repaired by the rebuild, not by her.
    await this.scheduler.scheduleCreated(result.request).catch((err: Error) => this.log.warn(`callback jobs deferred: ${err.name}`));
    return { params: { code: result.request.refCode } };
  }

  /** Her open request, changed as she answered; said done (with its code) only once stored. */
  private async change(vars: Record<string, string>, contactId: string): Promise<Settlement> {
    const open = await this.requests.findOpenByContact(contactId);
    const changed = open ? await this.workflow.change(open, changesFromAnswers(vars)) : undefined;
    return changed ? { params: { code: changed.refCode } } : { text: CALLBACK_TEXTS.changeFailed };
  }

  /** STATUT <code> of an open request also says how to change it (the word CHANGER, flows/callback.yaml). */
  private async runCommand(contactId: string, { op, code }: CallbackCommand): Promise<Output[]> {
    const req = await this.requests.findByRef(contactId, code);
    if (!req) return [{ text: CALLBACK_TEXTS.notFound, params: { code } }];
    if (op === 'status') {
      const status: Output = { text: CALLBACK_TEXTS.status(req.status), params: { code } };
      return OPEN_STATUSES.includes(req.status) ? [status, { text: CALLBACK_TEXTS.changeOffer }] : [status];
    }
    const cancelled = await this.workflow.cancel(req, 'contact').catch(() => undefined);
    return [{ text: cancelled ? CALLBACK_TEXTS.cancelled : CALLBACK_TEXTS.cannotCancel, params: { code } }];
  }
}
