/** The floor benchmark's activity: no work, so what remains is Temporal's and the SDK's cost. */
export async function noop(value: number): Promise<number> {
  return value + 1;
}
