export * from './resume-routes.ts';
export * from './resume-run.ts';
export * from './resume-token.ts';
