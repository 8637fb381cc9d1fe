import * as zmq from 'zeromq';
import { DistributedError } from '@omnitrain/core';
import { deriveCurveKeys } from '../collective/curve-keys.js';
import { decodeHeader, encodeJson, jobTag, Op } from '../protocol/protocol.js';
import type { MemberAssignment, MemberHello } from '../protocol/protocol.js';
import { refusedError } from './elastic-membership.js';

/**
 * A worker's connection to the elastic membership service: one DEALER for the worker's life (so
 * the service can push `pending` to it), `hello` asks for a place in the next generation.
 *
 * @example
 * const client = new MembershipClient('tcp://127.0.0.1:41234', 'job-id');
 * const place = await client.hello({ pid, host, port, generation: -1, appliedSteps: 0, reason: 'start' }, 60_000);
 */
export class MembershipClient {
  readonly address: string;
  readonly #dealer: zmq.Dealer;
  readonly #tag: string;
  #waiter: { resolve: (a: MemberAssignment) => void; reject: (e: Error) => void } | undefined;
  #pending = false;
  #closed = false;

  constructor(address: string, jobId: string, jobSecret?: string) {
    this.address = address;
    this.#tag = jobTag(jobId);
    const curve = jobSecret === undefined ? undefined : deriveCurveKeys(jobSecret, jobId);
    this.#dealer = new zmq.Dealer({ linger: 0, reconnectInterval: 100, ...(curve ? { curveServerKey: curve.publicKey, curvePublicKey: curve.publicKey, curveSecretKey: curve.secretKey } : {}) });
    this.#dealer.connect(address);
    void this.#listen();
  }

  /** Whether the service said that workers wait to join (cleared by the next `hello`). */
  get pending(): boolean {
    return this.#pending;
  }

  /**
   * Asks for a place in the next generation and waits for it.
   * @throws DistributedError when refused (late, excluded, below min) or after `timeoutMs` (naming the service).
   */
  hello(hello: MemberHello, timeoutMs: number): Promise<MemberAssignment> {
    this.#pending = false;
    this.#waiter?.reject(new DistributedError({ op: 'elastic.regroup', expected: 'one hello at a time', received: 'a second hello' }));
    return new Promise<MemberAssignment>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        reject(
          new DistributedError({
            op: 'elastic.regroup',
            expected: `a place in generation ${hello.generation + 1} within ${timeoutMs} ms`,
            received: 'no answer',
            where: `membership service ${this.address}, pid ${hello.pid}`,
            hint: 'the launcher (which runs the service) died, or other members are stuck: read the launcher log',
          }),
        );
      }, timeoutMs);
      this.#waiter = {
        resolve: (a) => (clearTimeout(timer), (this.#waiter = undefined), resolve(a)),
        reject: (e) => (clearTimeout(timer), (this.#waiter = undefined), reject(e)),
      };
      this.#dealer.send(encodeJson(Op.memberHello, this.#tag, 0, hello)).catch((e: unknown) => this.#waiter?.reject(e as Error));
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#waiter?.reject(new DistributedError({ op: 'elastic.regroup', expected: 'an open membership client', received: 'closed' }));
    this.#dealer.close();
  }

  async #listen(): Promise<void> {
    try {
      for await (const [h, p] of this.#dealer) {
        if (!h || !p) continue;
        let op: number;
        try {
          op = decodeHeader(h, p, { jobTag: this.#tag }, `membership service ${this.address}`).op;
        } catch (e) {
          this.#waiter?.reject(e as Error);
          continue;
        }
        const body = JSON.parse(p.toString()) as Record<string, unknown>;
        if (op === Op.memberPending) this.#pending = true;
        else if (op === Op.memberAssign) this.#waiter?.resolve(body as unknown as MemberAssignment);
        else if (op === Op.memberRefused) this.#waiter?.reject(refusedError(String(body['reason']), this.address));
      }
    } catch {
      // closed
    }
  }
}
