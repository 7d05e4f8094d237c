import type { InjectedSinks } from '@temporalio/worker';
import type { RunEventSinks } from '../workflows/run-events.ts';
import type { RunEventChannel } from './run-event-channel.ts';

/**
 * The worker side of the workflow's `runEvents` sink: the run id is the workflow id. Not called
 * during replay (`callDuringReplay: false`), so a run replayed after a restart or a cache eviction
 * does not send its old events again. Without a channel (no control plane configured) the sink is
 * still registered, doing nothing, so the SDK does not log an unregistered sink for every event.
 */
export function runEventSinks(channel: RunEventChannel | undefined): InjectedSinks<RunEventSinks> {
  return {
    runEvents: {
      emit: {
        fn: (info, event) => channel?.push({ runId: info.workflowId, ...event }),
        callDuringReplay: false,
      },
    },
  };
}
