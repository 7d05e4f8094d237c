import autocannon from 'autocannon';

export interface LoadFigures {
  connections: number;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** `seconds` of POSTs to `url` over `connections` keep-alive connections on loopback (autocannon). */
export async function drive(url: string, connections: number, seconds: number, body: string): Promise<LoadFigures> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    body,
    timeout: 30,
  });
  return {
    connections,
    requests: result.requests.total,
    perSecond: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export function formatFigures(label: string, figures: LoadFigures): string {
  return `${label.padEnd(28)} ${String(figures.connections).padStart(3)} conn  ${figures.perSecond.toFixed(1).padStart(7)} req/s  p50 ${String(figures.p50).padStart(5)} ms  p99 ${String(figures.p99).padStart(5)} ms  errors ${figures.errors + figures.non2xx}`;
}
