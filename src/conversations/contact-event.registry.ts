import { Inject, Injectable, SetMetadata, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { Output } from '../engine/engine.types';
import type { SteppedTurn, TurnContext, TurnWrite } from './conversation-hooks';
import { CONTACT_EVENT_TYPES, NO_DURABLE_EFFECT, OWNED_BY_OPTIONAL_CHANNEL, type ContactEvent, type ContactEventContext, type ContactEventOutcome, type ContactEventType, type HandlerPhase } from './contact-event';

const ON_CONTACT_EVENT = 'sira:on-contact-event';
const TURN_PARTICIPANT = 'sira:turn-participant';

interface HandlerMeta {
  types: ContactEventType[];
  phase: HandlerPhase;
  /** among `before` handlers of one type, lower first. */
  order: number;
}

export type ContactEventHandlerFn = (event: ContactEvent, ctx: ContactEventContext) => Promise<ContactEventOutcome | void>;

export interface RegisteredHandler {
  /** `Class.method`, for the start-up check's messages. */
  name: string;
  phase: HandlerPhase;
  order: number;
  run: ContactEventHandlerFn;
}

/**
 * Marks a provider method as the handler of contact events (the module that owns them declares it,
 * the conversation shell discovers it): `@OnContactEvent('opted_out')`, or
 * `@OnContactEvent('erase_requested', { phase: 'before' })` for work before the owner applies it.
 */
export const OnContactEvent = (types: ContactEventType | ContactEventType[], opts: { phase?: HandlerPhase; order?: number } = {}) =>
  SetMetadata<string, HandlerMeta>(ON_CONTACT_EVENT, { types: Array.isArray(types) ? types : [types], phase: opts.phase ?? 'owner', order: opts.order ?? 0 });

/**
 * Marks a provider that takes part in every turn besides applying events: facts for the engine before
 * the step, and replies that need no step (a status word and a code). See `TurnParticipant`.
 */
export const TakesPartInTurns = () => SetMetadata(TURN_PARTICIPANT, true);

export interface TurnParticipant {
  /** plain facts for the engine (StepContext.facts), read before the step. */
  facts?(ctx: TurnContext): Promise<Record<string, string>>;
  /** outputs that answer the message without an engine step, or null. */
  intercept?(ctx: TurnContext): Promise<Output[] | null>;
  /** after the step: commands for the turn's own Redis transaction (counters), or null. Never throws a turn away. */
  record?(ctx: TurnContext, turn: SteppedTurn): Promise<TurnWrite | null>;
}

export class ContactEventOwnershipError extends Error {
  constructor(problems: string[]) {
    super(`contact events without one owner: ${problems.join('; ')}`);
    this.name = 'ContactEventOwnershipError';
  }
}

/**
 * Who handles which contact event, found at start-up among the application's providers (immich's
 * job-handler discovery is the model). The shell applies events through it and knows no module.
 */
@Injectable()
export class ContactEventRegistry implements OnModuleInit {
  private readonly handlers = new Map<ContactEventType, RegisteredHandler[]>();
  private readonly participantList: TurnParticipant[] = [];

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || wrapper.isAlias) continue;
      if (Reflect.getMetadata(TURN_PARTICIPANT, instance.constructor)) this.participantList.push(instance as TurnParticipant);
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const meta = Reflect.getMetadata(ON_CONTACT_EVENT, fn) as HandlerMeta | undefined;
        if (meta) this.add(meta, `${instance.constructor.name}.${method}`, (fn as ContactEventHandlerFn).bind(instance));
      }
    }
  }

  /** The providers that take part in turns (facts, shortcuts), in discovery order. */
  participants(): readonly TurnParticipant[] {
    return this.participantList;
  }

  /** The handlers of one event type in the order they run: `before` ones (by order), then the owner. */
  handlersFor(type: ContactEventType): readonly RegisteredHandler[] {
    return this.handlers.get(type) ?? [];
  }

  /**
   * Throws when an event type has two owners, or — for the types in `required` (default: every type
   * with a durable effect, except those of a channel a deployment may leave off) — none. The whole
   * application checks all; a slice of it (a test) may name
   * the types it assembles owners for.
   */
  assertOwners(required: readonly ContactEventType[] = CONTACT_EVENT_TYPES.filter((t) => !NO_DURABLE_EFFECT.includes(t) && !OWNED_BY_OPTIONAL_CHANNEL.includes(t))): void {
    const problems: string[] = [];
    for (const type of CONTACT_EVENT_TYPES) {
      const owners = this.handlersFor(type).filter((h) => h.phase === 'owner');
      if (owners.length > 1) problems.push(`${type} has ${owners.length} owners (${owners.map((o) => o.name).join(', ')})`);
      if (owners.length === 0 && required.includes(type)) problems.push(`${type} has no owner`);
      if (owners.length > 0 && NO_DURABLE_EFFECT.includes(type)) problems.push(`${type} has nothing durable to apply, yet ${owners[0]!.name} owns it`);
    }
    if (problems.length) throw new ContactEventOwnershipError(problems);
  }

  private add(meta: HandlerMeta, name: string, run: ContactEventHandlerFn): void {
    for (const type of meta.types) {
      const list = [...this.handlersFor(type), { name, phase: meta.phase, order: meta.order, run }];
      list.sort((a, b) => rank(a) - rank(b));
      this.handlers.set(type, list);
    }
  }
}

function rank(h: RegisteredHandler): number {
  return h.phase === 'before' ? h.order : Number.MAX_SAFE_INTEGER;
}
