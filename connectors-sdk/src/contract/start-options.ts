import {
  type Duration,
  defineSearchAttributeKey,
  SearchAttributeType,
  TypedSearchAttributes,
} from '@temporalio/common';
import type { WorkflowSettings } from '../workflow-definition.ts';
import { DEFAULT_TASK_QUEUE, SEARCH_ATTRIBUTES } from './names.ts';

export const WORKFLOW_NAME_KEY = defineSearchAttributeKey(SEARCH_ATTRIBUTES.workflow, SearchAttributeType.KEYWORD);
export const WORKFLOW_VERSION_KEY = defineSearchAttributeKey(SEARCH_ATTRIBUTES.version, SearchAttributeType.INT);
export const WAITING_APPROVAL_KEY = defineSearchAttributeKey(
  SEARCH_ATTRIBUTES.waitingApproval,
  SearchAttributeType.KEYWORD_LIST,
);

export interface RunDagStartOptionsInput {
  runId: string;
  workflow: { name: string; version: number };
  settings: WorkflowSettings;
  taskQueue?: string;
}

/**
 * The one place that decides how a run starts on Temporal: the workflow id is the run id (so a run
 * is found by id and never started twice), the search attributes make runs findable by workflow and
 * version in Temporal Web, and `settings.timeout` bounds the whole run (Temporal ends it TIMED_OUT).
 * Used by the control plane for top-level runs and by `runDag` for child runs.
 */
export function runDagStartOptions(input: RunDagStartOptionsInput) {
  return {
    workflowId: input.runId,
    taskQueue: input.taskQueue ?? DEFAULT_TASK_QUEUE,
    typedSearchAttributes: new TypedSearchAttributes([
      { key: WORKFLOW_NAME_KEY, value: input.workflow.name },
      { key: WORKFLOW_VERSION_KEY, value: input.workflow.version },
    ]),
    // DurationSchema accepts exactly the `ms` strings Temporal parses.
    ...(input.settings.timeout ? { workflowExecutionTimeout: input.settings.timeout as Duration } : {}),
  };
}
