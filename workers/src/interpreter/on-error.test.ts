import { describe, expect, it } from 'vitest';
import { failureOutcome } from './on-error.ts';

const error = { code: 'FF_HTTP_STATUS' as const, message: 'GET http://x answered 404 Not Found', retryable: false };

describe('failureOutcome', () => {
  it('stops the run with onError stop', () => {
    expect(failureOutcome('stop', error)).toEqual({ stopsRun: true });
  });

  it('puts the error item on main with onError continue', () => {
    expect(failureOutcome('continue', error)).toEqual({ stopsRun: false, output: { main: [{ json: { error } }] } });
  });

  it('puts the error item on the error port, and only there, with onError errorOutput', () => {
    expect(failureOutcome('errorOutput', error)).toEqual({ stopsRun: false, output: { error: [{ json: { error } }] } });
  });
});
