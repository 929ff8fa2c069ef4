import { Inject, Injectable } from '@nestjs/common';
import { CONTENT } from '../content/content.module';
import type { LoadedContent } from '../content/content.types';
import type { SteppedTurn, TurnContext, TurnTransaction, TurnWrite } from '../conversations/conversation-hooks';
import { OnContactEvent, TakesPartInTurns, type TurnParticipant } from '../conversations/contact-event.registry';
import type { ContactEvent, ContactEventContext } from '../conversations/contact-event';
import { SESSION_SCHEMA_VERSION, type FlowSet, type NodeRef } from '../engine/engine.types';
import { bamakoDay, fieldOf, InsightMetric, type InsightKey } from './insight-metrics';
import { InsightsTally } from './insights.tally';

/**
 * Counts what a turn did, in the turn's own Redis transaction (no round trip of its own; the first
 * turn of a day per process reads the day's salt once). From the step only: where the conversation
 * went and which texts were sent, never what she wrote.
 */
@Injectable()
@TakesPartInTurns()
export class InsightsTurnRecorder implements TurnParticipant {
  /** text key → the node that sends it, so each output names the answer reached. */
  private readonly nodesByText: Map<string, NodeRef>;

  constructor(
    @Inject(InsightsTally) private readonly tally: InsightsTally,
    @Inject(CONTENT) content: Pick<LoadedContent, 'flowSet'>,
  ) {
    this.nodesByText = textIndex(content.flowSet);
  }

  async record({ contact, msg }: TurnContext, turn: SteppedTurn): Promise<TurnWrite | null> {
    const day = bamakoDay(turn.now);
    // the language she chose ('' before she chose one: the first menu speaks every language)
    const dims = { day, language: turn.after.language ?? '', channel: msg.channel };
    const keys: InsightKey[] = [];
    const reached = turn.outputs.map((o) => this.nodesByText.get(o.text)).filter((n): n is NodeRef => !!n);
    if (startsAConversation(turn, msg.input.kind)) keys.push({ ...dims, metric: InsightMetric.ConversationStarted, ...(reached[0] ?? turn.after.at) });
    let flow = turn.before && !turn.before.ended ? turn.before.at.flow : '';
    for (const node of reached) {
      if (node.flow !== flow) keys.push({ ...dims, metric: InsightMetric.FlowEntered, ...node });
      flow = node.flow;
      keys.push({ ...dims, metric: InsightMetric.NodeReached, ...node });
    }
    // news subscriptions she asked for or stopped in this turn, by topic (expiries are not counted here)
    for (const e of turn.events as ReadonlyArray<{ type: string; topic?: unknown }>) {
      const metric = e.type === 'news_subscribed' ? InsightMetric.SubscriptionStarted : e.type === 'news_stopped' ? InsightMetric.SubscriptionEnded : null;
      if (metric) keys.push({ ...dims, metric, flow: '', topic: typeof e.topic === 'string' ? e.topic : '' });
    }
    const menu = [...turn.outputs].reverse().find((o) => o.choices?.length);
    const menuNode = menu ? this.nodesByText.get(menu.text) : undefined;
    const abandoned = menuNode ? fieldOf({ ...dims, metric: InsightMetric.MenuAbandoned, ...menuNode }) : null;
    const seen = await this.tally.contactSeen(contact.id, day, msg.channel);
    return (tx: TurnTransaction) => {
      this.tally.count(tx, keys);
      this.tally.menuShown(tx, contact.id, abandoned, turn.now);
      seen(tx);
    };
  }

  /** Before her erasure: her open-menu marker goes with her (the aggregates stay: they hold no person). */
  @OnContactEvent('erase_requested', { phase: 'before' })
  async forgetMenu(_event: ContactEvent, { contact }: ContactEventContext): Promise<void> {
    await this.tally.forgetMenu(contact.id);
  }
}

function startsAConversation(turn: SteppedTurn, input: string): boolean {
  const b = turn.before;
  return !b || !!b.ended || b.v !== SESSION_SCHEMA_VERSION || input === 'start' || turn.events.some((e) => e.type === 'conversation_expired');
}

function textIndex(flowSet: FlowSet): Map<string, NodeRef> {
  const out = new Map<string, NodeRef>();
  for (const [flowId, flow] of Object.entries(flowSet.flows)) {
    for (const [nodeId, node] of Object.entries(flow.nodes)) {
      if ('text' in node && typeof node.text === 'string' && !out.has(node.text)) out.set(node.text, { flow: flowId, node: nodeId });
    }
  }
  return out;
}
