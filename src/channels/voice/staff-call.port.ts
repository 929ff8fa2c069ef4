import { Injectable, Module } from '@nestjs/common';

/** What the provider said of her leg of a bridged call, and how long she was on the line. */
export interface DialOutcome {
  status: 'completed' | 'answered' | 'busy' | 'no-answer' | 'failed' | 'canceled';
  seconds: number;
  /** the provider's id of her leg, kept so that her erasure can ask the provider to delete it. */
  providerCallId?: string;
}

/** Places the first leg of a call through Sira: the provider calls the agent's own phone. */
export interface StaffCallDialer {
  /** `callId` is opaque (it names no number and no request); the provider brings it back on every webhook. */
  callAgent(agentNumber: string, callId: string): Promise<void>;
  /** Her erasure: the provider deletes these calls and their logs (already gone is not a failure). */
  forgetCalls(providerCallIds: string[]): Promise<{ deleted: number; failures: string[] }>;
}

/**
 * The staff side of a call through Sira, which the provider's webhooks report to. Only here is her
 * number decrypted, and only to be handed to the provider's dial: staff never see it.
 */
export interface StaffCallBridge {
  /** The agent answered (on the provider's call `providerCallId`): the number to dial for her, or undefined when the call may not go on. */
  connect(callId: string, providerCallId?: string): Promise<{ to: string } | undefined>;
  /** Her leg ended: what happened is written to the request. */
  finished(callId: string, outcome: DialOutcome): Promise<void>;
  /** The agent's own phone did not answer (or a machine did): nobody was dialled. */
  agentUnreached(callId: string, reason: string): Promise<void>;
}

/**
 * Where the two sides of a call through Sira meet without importing each other: a voice provider's
 * module registers its dialer (and the number she sees), the staff module registers the bridge. No
 * dialer registered (no voice line configured): there is no "Appeler via Sira", the reveal stays.
 */
@Injectable()
export class StaffCallLine {
  private dialerImpl?: StaffCallDialer;
  private bridgeImpl?: StaffCallBridge;

  registerDialer(dialer: StaffCallDialer): void {
    this.dialerImpl = dialer;
  }

  registerBridge(bridge: StaffCallBridge): void {
    this.bridgeImpl = bridge;
  }

  get available(): boolean {
    return this.dialerImpl !== undefined;
  }

  get dialer(): StaffCallDialer | undefined {
    return this.dialerImpl;
  }

  /** The bridge, for the provider's webhooks: none registered is a wiring error, not a request's. */
  get bridge(): StaffCallBridge {
    if (!this.bridgeImpl) throw new Error('no staff call bridge registered (StaffModule not loaded)');
    return this.bridgeImpl;
  }
}

/** One StaffCallLine for the whole application: imported by the staff module and by each voice provider's. */
@Module({ providers: [StaffCallLine], exports: [StaffCallLine] })
export class StaffCallLineModule {}
