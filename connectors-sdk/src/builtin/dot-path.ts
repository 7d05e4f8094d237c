import { z } from 'zod';

// Writing through these keys would reach Object.prototype (prototype pollution), so no path may name them.
const UNSAFE_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/** `a.b.c`: segments split on dots, none empty, none that reach an object's prototype. */
export const DotPathSchema = z
  .string()
  .min(1, { error: 'a field path cannot be empty' })
  .refine((path) => path.split('.').every((segment) => segment !== '' && !UNSAFE_SEGMENTS.has(segment)), {
    error: 'a field path is names joined by dots ("customer.address.city"), without empty parts or __proto__',
  });
