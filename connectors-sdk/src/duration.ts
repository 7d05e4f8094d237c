import ms from 'ms';
import { z } from 'zod';

const DURATION = /^\d+(\.\d+)?\s*(ms|s|m|h|d|w)$/;

/** "500ms", "30s", "5m", "2h", "3d", "1w": the duration format of workflow files and Temporal. */
export const DurationSchema = z
  .string()
  .regex(DURATION, { error: 'a duration is a number and a unit: "500ms", "30s", "5m", "2h", "3d" or "1w"' });

export type Duration = z.infer<typeof DurationSchema>;

export function durationToMs(duration: Duration): number {
  const value = ms(duration as ms.StringValue);
  if (typeof value !== 'number' || Number.isNaN(value)) throw new Error(`invalid duration "${duration}"`);
  return value;
}
