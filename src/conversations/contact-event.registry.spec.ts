import { Injectable, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { ContactEvent, ContactEventContext } from './contact-event';
import { ContactEventOwnershipError, ContactEventRegistry, OnContactEvent } from './contact-event.registry';

@Injectable()
class Optouts {
  readonly seen: string[] = [];
  @OnContactEvent(['opted_out', 'opted_in'])
  async stop(event: ContactEvent): Promise<void> {
    this.seen.push(`owner:${event.type}`);
  }
}

@Injectable()
class Forgetters {
  constructor(private readonly log: Optouts) {}
  @OnContactEvent('opted_out', { phase: 'before', order: 20 })
  async second(): Promise<void> {
    this.log.seen.push('before:20');
  }
  @OnContactEvent('opted_out', { phase: 'before', order: 10 })
  async first(): Promise<void> {
    this.log.seen.push('before:10');
  }
}

@Injectable()
class AnotherOwner {
  @OnContactEvent('opted_out')
  async again(): Promise<void> {}
}

async function registryOf(...providers: Array<new (...args: never[]) => unknown>): Promise<ContactEventRegistry> {
  @Module({ imports: [DiscoveryModule], providers: [ContactEventRegistry, Optouts, ...providers] })
  class Slice {}
  const ref = await Test.createTestingModule({ imports: [Slice] }).compile();
  await ref.init();
  return ref.get(ContactEventRegistry);
}

describe('contact event registry', () => {
  it('finds the handlers modules declare, and runs the ones that prepare before the owner, by order', async () => {
    const registry = await registryOf(Forgetters);
    const handlers = registry.handlersFor('opted_out');
    expect(handlers.map((h) => `${h.phase}:${h.name}`)).toEqual(['before:Forgetters.first', 'before:Forgetters.second', 'owner:Optouts.stop']);
    for (const h of handlers) await h.run({ type: 'opted_out' }, {} as ContactEventContext);
    expect(registry.handlersFor('opted_in').map((h) => h.name)).toEqual(['Optouts.stop']);
  });

  it('refuses to start with two owners of one event, naming both', async () => {
    const registry = await registryOf(AnotherOwner);
    expect(() => registry.assertOwners(['opted_out'])).toThrow(ContactEventOwnershipError);
    expect(() => registry.assertOwners(['opted_out'])).toThrow(/opted_out has 2 owners \(Optouts.stop, AnotherOwner.again\)|opted_out has 2 owners \(AnotherOwner.again, Optouts.stop\)/);
  });

  it('refuses to start when a required event has no owner', async () => {
    const registry = await registryOf();
    expect(() => registry.assertOwners(['opted_out'])).not.toThrow();
    expect(() => registry.assertOwners(['opted_out', 'erase_requested'])).toThrow(/erase_requested has no owner/);
    expect(() => registry.assertOwners()).toThrow(/language_changed has no owner/);
  });

  it('does not require an owner for the events of a channel a deployment may leave off (return calls: voice)', async () => {
    const registry = await registryOf();
    expect(() => registry.assertOwners()).not.toThrow(/return_call_requested/);
  });
});
