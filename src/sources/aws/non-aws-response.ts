// A call answered by something that is not AWS — an emulator without that API, a proxy, a captive portal,
// a wrong --endpoint-url — comes back with that server's own page (an HTML 404), which the SDK reports as a
// JSON or XML parse error ("Unexpected token '<'…", or `NotFound: Unknown`). This middleware, on every client
// of the scan, turns such a failure into what happened: "HTTP 404 from <endpoint>/<path>".

/** The failure of a call whose answer was not AWS's. */
export class NotAnAwsResponse extends Error {
  override readonly name = 'NotAnAwsResponse';
  readonly $fault = 'client';
  constructor(
    message: string,
    readonly $metadata: unknown,
    readonly $response: unknown,
  ) {
    super(message);
  }
}

interface HttpRequestLike {
  protocol?: string;
  hostname?: string;
  port?: number;
  path?: string;
}

interface FailedCall {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number; headers?: Record<string, string> };
}

/** AWS answers JSON (`application/json`, `application/x-amz-json-1.x`) or XML; a page is someone else's. */
function foreign(error: FailedCall): boolean {
  const type = Object.entries(error.$response?.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  if (/html/i.test(type)) return true;
  // A body the SDK could not even parse as its protocol's format.
  return error.name === 'SyntaxError' || /Deserialization error/.test(error.message ?? '');
}

/** `http://127.0.0.1:4566/v2/email/account`: where the answer came from. */
export function requestUrl(request: HttpRequestLike | undefined): string {
  if (!request?.hostname) return '(unknown endpoint)';
  const protocol = request.protocol ? request.protocol.replace(/:?$/, ':') : 'https:';
  const port = request.port ? `:${request.port}` : '';
  return `${protocol}//${request.hostname}${port}${request.path ?? '/'}`;
}

type Next = (args: { request?: unknown }) => Promise<unknown>;

/** Deserialize-step middleware (outside the SDK's deserializer): rewrites failures whose answer was not AWS's. */
export const nonAwsResponseMiddleware =
  (next: Next): Next =>
  async (args) => {
    try {
      return await next(args);
    } catch (error) {
      const failed = error as FailedCall;
      const status = failed?.$response?.statusCode ?? failed?.$metadata?.httpStatusCode;
      if (status === undefined || !foreign(failed)) throw error;
      throw new NotAnAwsResponse(`HTTP ${status} from ${requestUrl(args.request as HttpRequestLike)}`, failed.$metadata, failed.$response);
    }
  };
