export * from './circuit-breaker.ts';
export * from './circuit-breakers.ts';
