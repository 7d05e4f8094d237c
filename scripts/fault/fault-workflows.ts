/**
 * The two kinds of run the fault tests keep in flight: one inside a slow HTTP call with a side
 * effect, one inside a durable timer.
 */

/** POSTs to the side-effect server with an Idempotency-Key; retried after a lost worker. */
export const chargeWorkflow = {
  schemaVersion: 1,
  name: 'fault-charge',
  nodes: [
    { id: 'start', type: 'trigger.manual' },
    {
      id: 'charge',
      type: 'http.request',
      params: {
        method: 'POST',
        url: '={{ $json.url }}/charge',
        query: { order: '={{ $json.order }}' },
        idempotent: true,
      },
      // An attempt whose worker died is seen as lost when this timeout passes (sooner than the
      // 30 s heartbeat timeout; the server answers in 8 s), then retried on whichever worker polls next.
      timeout: '15s',
      retry: { maxAttempts: 5, initialInterval: '1s', backoffCoefficient: 1 },
    },
    { id: 'done', type: 'core.set', params: { values: { charged: true } } },
  ],
  edges: [
    { from: 'start', to: 'charge' },
    { from: 'charge', to: 'done' },
  ],
};

/** Waits on a Temporal timer as long as the input's `waitFor` says ("15s"), then sets a field. */
export const waitWorkflow = {
  schemaVersion: 1,
  name: 'fault-wait',
  nodes: [
    { id: 'start', type: 'trigger.manual' },
    { id: 'pause', type: 'core.wait', params: { for: '={{ $json.waitFor }}' } },
    { id: 'done', type: 'core.set', params: { values: { woke: true } } },
  ],
  edges: [
    { from: 'start', to: 'pause' },
    { from: 'pause', to: 'done' },
  ],
};

/** The key http.request sends for the charge node of a run (one input item: no item index). */
export const chargeKey = (runId: string): string => `${runId}:charge`;
