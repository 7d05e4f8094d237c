export * from './claim-check.ts';
