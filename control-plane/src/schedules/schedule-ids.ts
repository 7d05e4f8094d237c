/**
 * Deterministic names on Temporal's side, so activation, deactivation and every command find a
 * workflow's schedules from the database alone (no listing, which Temporal answers eventually).
 */

/** One Temporal Schedule per trigger.schedule node of an active workflow in a project. */
export function scheduleIdOf(projectId: string, workflow: string, nodeId: string): string {
  return `flowforge:${projectId}:${workflow}:${nodeId}`;
}

/**
 * The schedule action's workflow id, which Temporal extends with the scheduled time for every run
 * (`run-nightly.every.v3.1a2b3c4d-2026-12-01T09:00:00Z`). It names the version, so a request signed
 * for one version is never good for another's runs; the project's first characters keep two
 * projects' runs apart on one Temporal namespace.
 */
export function scheduledRunPrefixOf(projectId: string, workflow: string, nodeId: string, version: number): string {
  return `run-${workflow}.${nodeId}.v${version}.${projectId.slice(0, 8)}`;
}
