import type { RunEvent } from '@flowforge/connectors-sdk/contract';
import { describe, expect, it } from 'vitest';
import { notifyPayloads } from './run-event-bus.ts';
import { RunProgress, snapshotEvents } from './run-progress.ts';

const at = '2026-12-01T10:00:00.000Z';
const event = (kind: RunEvent['event'], nodeId?: string, iteration?: number): RunEvent => ({
  runId: 'run-1',
  event: kind,
  at,
  ...(nodeId ? { nodeId } : {}),
  ...(iteration !== undefined ? { iteration } : {}),
});

describe('RunProgress (the seam between the current state and the live events)', () => {
  it('passes a live event that moves a node on and drops one the state already showed', () => {
    const progress = new RunProgress();
    const snapshot = snapshotEvents({
      runId: 'run-1',
      workflow: { name: 'w', version: 1 },
      status: 'RUNNING',
      startedAt: at,
      nodes: { a: { status: 'succeeded', attempts: 1, finishedAt: at }, b: { status: 'running', attempts: 0 } },
    });
    expect(snapshot.filter((e) => progress.accept(e)).map((e) => e.event)).toEqual([
      'run.started',
      'node.succeeded',
      'node.started',
    ]);
    // Held while the state was read: already shown, or older than it.
    expect(progress.accept(event('run.started'))).toBe(false);
    expect(progress.accept(event('node.started', 'a'))).toBe(false);
    expect(progress.accept(event('node.started', 'b'))).toBe(false);
    // Live: moves b on, once.
    expect(progress.accept(event('node.succeeded', 'b'))).toBe(true);
    expect(progress.accept(event('node.succeeded', 'b'))).toBe(false);
    expect(progress.accept(event('run.completed'))).toBe(true);
    expect(progress.accept(event('node.started', 'c'))).toBe(false);
  });

  it('passes the same status again for a later loop iteration, not an earlier one', () => {
    const progress = new RunProgress();
    expect(progress.accept(event('node.succeeded', 'body', 1))).toBe(true);
    expect(progress.accept(event('node.started', 'body', 2))).toBe(true);
    expect(progress.accept(event('node.succeeded', 'body', 1))).toBe(false);
    expect(progress.accept(event('node.succeeded', 'body', 2))).toBe(true);
  });

  it('shows a run timed out by Temporal as run.failed', () => {
    const events = snapshotEvents({
      runId: 'run-1',
      workflow: { name: 'w', version: 1 },
      status: 'TIMED_OUT',
      startedAt: at,
      nodes: {},
    });
    expect(events.map((e) => e.event)).toEqual(['run.started', 'run.failed']);
  });
});

describe('notifyPayloads', () => {
  it('packs events into JSON arrays under PostgreSQL NOTIFY limit of 8000 bytes, keeping their order', () => {
    const events = Array.from({ length: 300 }, (_, index) => ({ ...event('node.started', `n${index}`) }));
    const payloads = notifyPayloads(events);
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThan(8000);
    expect(payloads.flatMap((payload) => JSON.parse(payload) as RunEvent[])).toEqual(events);
  });
});
