import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeRequest } from '../fakes/fake-provider.server';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';

/** One call as Twilio's REST API holds it. */
export interface FakeTwilioCall {
  sid: string;
  from: string;
  to: string;
  url?: string;
  machineDetection?: string;
  statusCallback?: string;
  /** placed by Sira through `Calls.json` (false: a call she made, recorded by the test). */
  outbound: boolean;
  deleted: boolean;
}

/**
 * The fake Twilio REST API with its `Calls` resource: `POST Calls.json` (a return call placed),
 * `GET Calls.json?From=&To=` (listed for an erasure), `DELETE Calls/{sid}.json` (forgotten).
 */
export class FakeTwilioVoiceServer extends FakeTwilioServer {
  readonly calls: FakeTwilioCall[] = [];
  private loseAnswers = 0;

  /** The next `POST Calls.json` creates the call (her phone rings) but its answer is lost: the socket is reset. */
  loseNextCallAnswer(): void {
    this.loseAnswers++;
  }

  /** A call she made to Sira, as Twilio would keep it. */
  recordCall(sid: string, from: string, to: string): void {
    this.calls.push({ sid, from, to, outbound: false, deleted: false });
  }

  placed(): FakeTwilioCall[] {
    return this.calls.filter((c) => c.outbound);
  }

  protected override answer(req: FakeRequest, res: ServerResponse, raw: IncomingMessage): void {
    const url = new URL(req.path, 'http://fake');
    const list = /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Calls\.json$/i.test(url.pathname);
    const one = /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Calls\/(CA[0-9a-f]{32})\.json$/i.exec(url.pathname);
    if (list && req.method === 'POST') return this.place(req, res, raw);
    if (list && req.method === 'GET') {
      const from = url.searchParams.get('From');
      const to = url.searchParams.get('To');
      const calls = this.calls.filter((c) => !c.deleted && (from === null || c.from === from) && (to === null || c.to === to));
      return this.json(res, 200, { calls: calls.map((c) => ({ sid: c.sid, from: c.from, to: c.to, status: 'completed' })), page: 0, page_size: 50, first_page_uri: url.pathname, next_page_uri: null, uri: url.pathname });
    }
    if (one && req.method === 'DELETE') {
      const call = this.calls.find((c) => c.sid === one[1] && !c.deleted);
      if (!call) return this.json(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
      call.deleted = true;
      res.writeHead(204).end();
      return;
    }
    return super.answer(req, res, raw);
  }

  private place(req: FakeRequest, res: ServerResponse, raw: IncomingMessage): void {
    const form = req.form();
    const call: FakeTwilioCall = {
      sid: `CA${randomBytes(16).toString('hex')}`,
      from: form.get('From') ?? '',
      to: form.get('To') ?? '',
      url: form.get('Url') ?? undefined,
      machineDetection: form.get('MachineDetection') ?? undefined,
      statusCallback: form.get('StatusCallback') ?? undefined,
      outbound: true,
      deleted: false,
    };
    if (!call.to || !call.url) return this.json(res, 400, { code: 21205, message: 'Url and To are required', status: 400 });
    this.calls.push(call);
    if (this.loseAnswers > 0) {
      this.loseAnswers--;
      raw.socket.destroy();
      return;
    }
    this.json(res, 201, { sid: call.sid, to: call.to, from: call.from, status: 'queued', uri: req.path });
  }
}
