import type { WebhookResponse } from '@flowforge/connectors-sdk';
import { type RunState, WEBHOOK_RESPONSE_UPDATE, type WebhookAnswer } from '@flowforge/connectors-sdk/contract';
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const webhookResponseUpdate = defineUpdate<WebhookAnswer>(WEBHOOK_RESPONSE_UPDATE);

/**
 * The answer to the webhook request that started the run (respond: "responseNode"). The first
 * core.respondToWebhook node that runs gives it; the `webhookResponse` update the control plane
 * waits on returns it, at once if it came first. A run that ends without one answers how it
 * ended. Nothing here writes history but the update itself.
 */
export class WebhookResponder {
  private response: WebhookResponse | undefined;

  constructor(state: RunState) {
    setHandler(webhookResponseUpdate, async (): Promise<WebhookAnswer> => {
      await condition(() => this.response !== undefined || state.status !== 'RUNNING');
      if (this.response) return { kind: 'response', response: this.response };
      return { kind: 'ended', status: state.status, ...(state.error ? { error: state.error } : {}) };
    });
  }

  /** Only the first answer counts: a request is answered once. */
  respond(response: WebhookResponse): void {
    this.response ??= response;
  }
}
