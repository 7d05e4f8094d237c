import { durationToMs, type ErrorCode } from '@flowforge/connectors-sdk';
import type { UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure, condition, setHandler, workflowInfo } from '@temporalio/workflow';

/** What every signed wait shows while it waits: when it began (part of the token) and, with a timeout, its end. */
export interface TimedWait {
  since: string;
  until?: string | undefined;
}

/** Whom a signed token is for: the run, the node, and (optionally) the very wait it was issued for. */
export interface WaitClaims {
  runId: string;
  nodeId: string;
  since?: string | undefined;
}

/** A refusal: the update fails with this code and message, and nothing reaches history. */
export interface Refusal {
  code: ErrorCode;
  message: string;
}

/** One kind of signed wait (an approval, a resume webhook): how its deliveries are checked and taken. */
export interface SignedWaitKind<Wait extends TimedWait, Delivery, Claims extends WaitClaims, Taken, Answer> {
  update: UpdateDefinition<Answer, [Delivery]>;
  description: string;
  /** The delivery's claims when its token is signed by the control plane's key and well-formed. */
  verify(delivery: Delivery, publicKeyHex: string): Claims | undefined;
  /** The refusals, in the words of this kind. */
  unverifiable: Refusal;
  wrongRun(claims: Claims, runId: string): Refusal;
  notWaiting(claims: Claims, waiting: readonly string[]): Refusal;
  staleWait(claims: Claims, wait: Wait): Refusal;
  /** Checks particular to the kind (who may decide, the form's values). */
  check?(claims: Claims, wait: Wait): Refusal | undefined;
  /**
   * What the run keeps and what the caller is answered. Also called on replay, where the validator
   * does not run again: an accepted update's delivery was valid then.
   */
  take(delivery: Delivery): { nodeId: string; taken: Taken; answer: Answer };
  /** Told whenever the set of waiting nodes changes (approvals publish it as a search attribute). */
  waitingChanged?(waiting: readonly string[]): void;
}

/**
 * A durable wait for a signed delivery inside `runDag` (approvals, resume webhooks): a `condition`
 * that only the kind's update can satisfy (nothing polls), raced with the node's timeout as a
 * workflow timer. The update's validator checks the control plane's signature, the run, that the
 * node still waits the very wait the token names, and the kind's own rules; a refused update is not
 * written to history and leaves the node waiting.
 */
export class SignedWaitGate<Wait extends TimedWait, Delivery, Claims extends WaitClaims, Taken, Answer> {
  private readonly waits = new Map<string, Wait>();
  private readonly taken = new Map<string, Taken>();
  private readonly kind: SignedWaitKind<Wait, Delivery, Claims, Taken, Answer>;
  private readonly publicKeyHex: string | undefined;

  constructor(kind: SignedWaitKind<Wait, Delivery, Claims, Taken, Answer>, publicKeyHex: string | undefined) {
    this.kind = kind;
    this.publicKeyHex = publicKeyHex;
    setHandler(kind.update, (delivery) => this.accept(delivery), {
      validator: (delivery) => {
        this.validate(delivery);
      },
      description: kind.description,
    });
  }

  /** The wait's `since` (now, workflow time) and, from a timeout ("3d"), its `until` and length. */
  static window(timeout: string | undefined): { since: string; until?: string; timeoutMs?: number } {
    const since = new Date();
    if (timeout === undefined) return { since: since.toISOString() };
    const timeoutMs = durationToMs(timeout);
    return { since: since.toISOString(), until: new Date(since.getTime() + timeoutMs).toISOString(), timeoutMs };
  }

  /** Waits until a delivery for `nodeId` is taken (its value) or the timeout passes (undefined). */
  async wait(nodeId: string, wait: Wait, timeoutMs: number | undefined): Promise<Taken | undefined> {
    this.waits.set(nodeId, wait);
    this.kind.waitingChanged?.([...this.waits.keys()]);
    try {
      const isTaken = () => this.taken.has(nodeId);
      if (timeoutMs === undefined) await condition(isTaken);
      else if (!(await condition(isTaken, timeoutMs))) return undefined;
      return this.taken.get(nodeId);
    } finally {
      // Forget both: a node that runs again (a loop) waits anew, with a new `since` and so a new token.
      this.waits.delete(nodeId);
      this.taken.delete(nodeId);
      this.kind.waitingChanged?.([...this.waits.keys()]);
    }
  }

  private validate(delivery: Delivery): void {
    const refusal = this.refusal(delivery);
    if (refusal) throw ApplicationFailure.create({ type: refusal.code, message: refusal.message, nonRetryable: true });
  }

  private refusal(delivery: Delivery): Refusal | undefined {
    const claims = this.publicKeyHex === undefined ? undefined : this.kind.verify(delivery, this.publicKeyHex);
    if (!claims) return this.kind.unverifiable;
    const runId = workflowInfo().workflowId;
    if (claims.runId !== runId) return this.kind.wrongRun(claims, runId);
    const wait = this.waits.get(claims.nodeId);
    if (!wait || this.taken.has(claims.nodeId)) {
      return this.kind.notWaiting(
        claims,
        [...this.waits.keys()].filter((id) => !this.taken.has(id)),
      );
    }
    if (claims.since !== undefined && claims.since !== wait.since) return this.kind.staleWait(claims, wait);
    return this.kind.check?.(claims, wait);
  }

  private accept(delivery: Delivery): Answer {
    const { nodeId, taken, answer } = this.kind.take(delivery);
    this.taken.set(nodeId, taken);
    return answer;
  }
}
