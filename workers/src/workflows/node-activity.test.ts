import { NodeSchema } from '@flowforge/connectors-sdk';
import { RetryState } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { describe, expect, it } from 'vitest';
import { describeNodeFailure, nodeActivityOptions, retryPolicy } from './node-activity.ts';

const node = (extra: Record<string, unknown> = {}) => NodeSchema.parse({ id: 'fetch', type: 'http.request', ...extra });

describe('node activity options', () => {
  it('runs a node without a retry setting exactly once, never with the unlimited default', () => {
    expect(retryPolicy(undefined)).toEqual({ maximumAttempts: 1 });
  });

  it('maps the node retry setting onto the Temporal retry policy', () => {
    const { retry } = node({ retry: { maxAttempts: 4, initialInterval: '1s', maximumInterval: '10s' } });
    expect(retryPolicy(retry)).toEqual({
      maximumAttempts: 4,
      initialInterval: '1s',
      backoffCoefficient: 2,
      maximumInterval: '10s',
    });
  });

  it("uses the node's timeout, else its type's default, as the start-to-close timeout", () => {
    expect(nodeActivityOptions(node({ timeout: '5s' }), '5m').startToCloseTimeout).toBe('5s');
    expect(nodeActivityOptions(node(), '2m')).toMatchObject({ startToCloseTimeout: '2m', activityId: 'fetch' });
  });
});

describe('describeNodeFailure', () => {
  const wrap = (cause: Error) =>
    new ActivityFailure('activity failed', 'executeNode', 'fetch', RetryState.MAXIMUM_ATTEMPTS_REACHED, 'w', cause);

  it('reads the node error and attempt from the failure details', () => {
    const error = { code: 'FF_HTTP_STATUS' as const, message: 'answered 404', retryable: false };
    const failure = wrap(ApplicationFailure.create({ type: 'FF_HTTP_STATUS', details: [{ error, attempt: 2 }] }));
    expect(describeNodeFailure(node(), failure)).toEqual({ error, attempts: 2 });
  });

  it('turns a start-to-close timeout into FF_NODE_TIMEOUT naming the limit', () => {
    const failure = wrap(new TimeoutFailure('timed out', undefined, 'START_TO_CLOSE'));
    const described = describeNodeFailure(node({ timeout: '3s', retry: { maxAttempts: 2 } }), failure);
    expect(described.error).toMatchObject({
      code: 'FF_NODE_TIMEOUT',
      message: 'node "fetch" ran past its timeout of 3s',
    });
    expect(described.attempts).toBe(2);
  });
});
