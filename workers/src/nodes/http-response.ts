import { FlowForgeError, type Item, type JsonObject, toItems } from '@flowforge/connectors-sdk';

export type HttpResponseType = 'json' | 'text' | 'binary';

const EXCERPT_CHARS = 200;

/**
 * The URL as it may appear in errors: no user/password and no query string, because both often
 * carry secrets (API keys in `?key=`). The path is enough to find the failing call.
 */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** Status >= 400: 5xx, 408 and 429 are worth retrying; other 4xx mean the request itself is wrong. */
export async function statusError(where: string, response: Response): Promise<FlowForgeError> {
  const status = response.status;
  const retryable = status >= 500 || status === 408 || status === 429;
  const text = await response.text().catch(() => '');
  const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, EXCERPT_CHARS);
  const suffix = excerpt ? `: ${excerpt}${text.length > EXCERPT_CHARS ? '…' : ''}` : '';
  return new FlowForgeError('FF_HTTP_STATUS', `${where} answered ${status} ${response.statusText}${suffix}`.trim(), {
    retryable,
    details: { statusCode: status },
    hint: retryable ? 'the server may recover; the node is retried by its retry policy' : undefined,
  });
}

export async function toOutputItems(
  response: Response,
  responseType: HttpResponseType,
  fullResponse: boolean,
  url: URL,
  where: string,
): Promise<Item[]> {
  const meta = { statusCode: response.status, headers: Object.fromEntries(response.headers) };
  switch (responseType) {
    case 'binary': {
      const item = await binaryItem(response, url);
      return [fullResponse ? { ...item, json: { ...meta, ...item.json } } : item];
    }
    case 'text': {
      const body = await response.text();
      return [{ json: fullResponse ? { ...meta, body } : { body } }];
    }
    case 'json': {
      const body = parseJson(await response.text(), where, response);
      if (fullResponse) return [{ json: { ...meta, body } }];
      // An empty answer (204 No Content) still yields one item, so the nodes after it run.
      if (body === undefined) return [{ json: {} }];
      return toItems(body);
    }
    default: {
      const exhaustive: never = responseType;
      throw new Error(`unknown response type ${String(exhaustive)}`);
    }
  }
}

function parseJson(text: string, where: string, response: Response): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // No dedicated code for "unexpected answer" exists yet; FF_HTTP_STATUS (non-retryable) is the closest.
    const type = response.headers.get('content-type') ?? 'no content type';
    throw new FlowForgeError(
      'FF_HTTP_STATUS',
      `${where} answered ${response.status} with a body that is not JSON (${type})`,
      {
        retryable: false,
        details: { statusCode: response.status },
        path: ['params', 'responseType'],
        hint: 'set responseType to "text" or "binary" for answers that are not JSON',
      },
    );
  }
}

async function binaryItem(response: Response, url: URL): Promise<Item> {
  const bytes = Buffer.from(await response.arrayBuffer());
  const mimeType =
    (response.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]?.trim() ||
    'application/octet-stream';
  const fileName = fileNameOf(response.headers.get('content-disposition'), url);
  const json: JsonObject = { mimeType, fileSize: bytes.length };
  return {
    json,
    binary: { data: { data: bytes.toString('base64'), mimeType, ...(fileName ? { fileName } : {}) } },
  };
}

/** From `Content-Disposition: attachment; filename="report.pdf"`, else the URL's last path segment. */
function fileNameOf(disposition: string | null, url: URL): string | undefined {
  const match = disposition?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  const name = match?.[1] ?? url.pathname.split('/').at(-1);
  return name ? decodeOrKeep(name) : undefined;
}

/** A malformed %-escape in a server's header or path must not fail a download that worked. */
function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
