export { type AppOptions, buildApp, type FlowForgeApp } from './app.ts';
export { authenticate, createApiKey, findApiKey, type Principal } from './auth/api-keys.ts';
export { type CliConfig, cliConfigFile, ensureLocalAdminKey } from './auth/cli-config.ts';
export { type ControlPlaneConfig, readConfig } from './config.ts';
export { getRunView, type RunView } from './runs/run-view.ts';
export { type StartedRun, startRun } from './runs/start-run.ts';
export { loadRunSigningKeys, type RunSigningKeys, runSigningKeyFiles } from './signing/run-signing-keys.ts';
export { type PushResult, pushWorkflow } from './workflows/push-workflow.ts';
