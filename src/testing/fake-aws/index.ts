// A loopback HTTP server that answers the real AWS SDK v3 clients in each service's wire protocol,
// from a Scenario: for tests and benchmarks of the live scan. Point a client at `endpoint` with
// static credentials; the SigV4 credential scope gives region and service, the access key the
// account (AssumeRole keys encode the assumed account). See README.md in this folder.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, SERVICES, SIGNING_NAMES, faultError, serializeError, serializeSuccess, type FaultKind, type ServiceKey } from './protocol.js';
import type { Scenario } from './scenario.js';
import { organizationsHandlers } from './services/organizations.js';
import { accountHandlers, stsHandlers } from './services/sts.js';
import { iamHandlers } from './services/iam.js';
import { SESV2_ROUTES, sesV1Handlers, sesv2Handlers } from './services/ses.js';
import { snsHandlers } from './services/sns.js';
import { ec2Handlers } from './services/ec2.js';
import { cloudtrailHandlers, cloudwatchHandlers } from './services/monitoring.js';
import { logsHandlers } from './services/logs.js';
import { World, hash32, type FakeRequest } from './world.js';

export type { Scenario } from './scenario.js';
export type * from './scenario.js';
export { ApiError, faultCode, type FaultKind, type ServiceKey } from './protocol.js';
export { generateScenario, type GenerateOptions } from './generate.js';
export { encodePolicyDocument } from './services/iam.js';

export interface Fault {
  /** Service key: organizations, sts, account, iam, sesv2, ses, sns, ec2, cloudwatch, cloudtrail, logs. */
  service: string;
  operation?: string;
  account?: string;
  region?: string;
  error: FaultKind;
}

export interface FakeOptions {
  /** Delay before every answer. */
  latencyMs?: number;
  /** 0..1: share of requests answered with the service's throttling error (deterministic from `seed`). */
  throttleRate?: number;
  faults?: Fault[];
  seed?: number;
  /** Largest page any list returns (default 2, so pagination is always exercised). */
  pageSize?: number;
  /** Per operation, the largest page (replaces `pageSize`), e.g. `{ GetAccountAuthorizationDetails: 1000 }`. */
  pageSizes?: Record<string, number>;
  /** Per operation, top-level fields its answers leave out, as an emulator or an older API might. */
  omit?: Record<string, string[]>;
}

export interface CallRecord {
  service: ServiceKey | 'unknown';
  operation: string;
  account: string;
  region: string;
  /** HTTP status answered; 0 when the request was never answered (Timeout fault). */
  status: number;
  /** Error code answered, if any. */
  error?: string;
  ms: number;
}

export interface FakeAws {
  endpoint: string;
  calls: CallRecord[];
  /** TCP connections accepted so far: what keep-alive sharing saves shows here (each one is a handshake against AWS). */
  readonly connections: number;
  close(): Promise<void>;
}

type Handler = (req: FakeRequest, world: World) => unknown;

const HANDLERS: Record<ServiceKey, Record<string, Handler>> = {
  organizations: organizationsHandlers,
  sts: stsHandlers,
  account: accountHandlers,
  iam: iamHandlers,
  sesv2: sesv2Handlers,
  ses: sesV1Handlers,
  sns: snsHandlers,
  ec2: ec2Handlers,
  cloudwatch: cloudwatchHandlers,
  cloudtrail: cloudtrailHandlers,
  logs: logsHandlers,
};

const REST_ROUTES: Partial<Record<ServiceKey, [string, string, string][]>> = {
  sesv2: SESV2_ROUTES,
  account: [['POST', '/listRegions', 'ListRegions']],
};

function matchRoute(routes: [string, string, string][], method: string, path: string): { operation: string; labels: Record<string, string> } | undefined {
  const segments = path.split('/');
  for (const [m, pattern, operation] of routes) {
    if (m !== method) continue;
    const parts = pattern.split('/');
    if (parts.length !== segments.length) continue;
    const labels: Record<string, string> = {};
    const ok = parts.every((p, i) => {
      const label = /^\{(\w+)\}$/.exec(p);
      if (label) {
        labels[label[1]] = decodeURIComponent(segments[i]);
        return segments[i] !== '';
      }
      return p === segments[i];
    });
    if (ok) return { operation, labels };
  }
  return undefined;
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/iam/aws4_request, …` (the signature is not checked). */
function credentialScope(header: string | undefined): { accessKeyId: string; region: string; signingName: string } | undefined {
  const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(header ?? '');
  return m ? { accessKeyId: m[1], region: m[2], signingName: m[3] } : undefined;
}

/** What a web server in front of (or instead of) AWS answers for a path it does not serve. */
const NOT_FOUND_PAGE = '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>\n';

function faultMatches(f: Fault, service: ServiceKey, operation: string, account: string, region: string): boolean {
  return (
    f.service === service &&
    (f.operation === undefined || f.operation === operation) &&
    (f.account === undefined || f.account === account) &&
    (f.region === undefined || f.region === region)
  );
}

export async function startFakeAws(scenario: Scenario, options: FakeOptions = {}): Promise<FakeAws> {
  const world = new World(scenario, options.pageSize ?? 2, options.pageSizes);
  const calls: CallRecord[] = [];
  const throttleCounters = new Map<string, number>();
  const seed = options.seed ?? 1;
  let requestCounter = 0;

  const throttled = (key: string): boolean => {
    const rate = options.throttleRate ?? 0;
    if (rate <= 0) return false;
    const n = (throttleCounters.get(key) ?? 0) + 1;
    throttleCounters.set(key, n);
    return hash32(`${seed}|${key}|${n}`) / 2 ** 32 < rate;
  };

  const server = http.createServer((request, response) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const requestId = `fake-${(++requestCounter).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
      const record: CallRecord = { service: 'unknown', operation: 'unknown', account: '', region: '', status: 0, ms: 0 };
      calls.push(record);

      const finish = (status: number, headers: Record<string, string>, text: string, error?: string): void => {
        const send = (): void => {
          record.status = status;
          record.error = error;
          record.ms = performance.now() - started;
          response.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
          response.end(text);
        };
        if (options.latencyMs) setTimeout(send, options.latencyMs);
        else send();
      };

      const scope = credentialScope(request.headers.authorization);
      const signing = scope ? SIGNING_NAMES[scope.signingName] : undefined;
      if (!scope || !signing) {
        finish(403, { 'content-type': 'application/json' }, JSON.stringify({ message: 'Missing or unsupported SigV4 credential scope' }), 'MissingAuthenticationToken');
        return;
      }
      const url = new URL(request.url ?? '/', 'http://fake');
      const service: ServiceKey = signing === 'ses' && url.pathname.startsWith('/v2/') ? 'sesv2' : signing;
      const protocol = SERVICES[service].protocol;
      const form = protocol === 'awsQuery' || protocol === 'ec2Query' ? new URLSearchParams(body) : new URLSearchParams();
      let json: Record<string, unknown> = {};
      if ((protocol === 'awsJson1_0' || protocol === 'awsJson1_1' || protocol === 'restJson1') && body.trim() !== '') {
        try {
          json = JSON.parse(body) as Record<string, unknown>;
        } catch {
          json = {};
        }
      }
      let operation = '';
      let labels: Record<string, string> = {};
      if (protocol === 'awsJson1_0' || protocol === 'awsJson1_1') {
        operation = String(request.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      } else if (protocol === 'restJson1') {
        const route = matchRoute(REST_ROUTES[service] ?? [], request.method ?? 'GET', url.pathname);
        operation = route?.operation ?? `${request.method} ${url.pathname}`;
        labels = route?.labels ?? {};
      } else {
        operation = form.get('Action') ?? '';
      }
      const account = world.accountOfKey(scope.accessKeyId);
      Object.assign(record, { service, operation, account, region: scope.region });

      const req: FakeRequest = {
        service,
        operation,
        account,
        region: scope.region,
        accessKeyId: scope.accessKeyId,
        method: request.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        form,
        json,
        labels,
      };

      let output: unknown;
      try {
        const fault = (options.faults ?? []).find((f) => faultMatches(f, service, operation, account, scope.region));
        if (fault?.error === 'Timeout') return; // never answered: the client's own timeout fires
        if (fault?.error === 'HtmlNotFound') {
          finish(404, { 'content-type': 'text/html; charset=utf-8' }, NOT_FOUND_PAGE, 'HtmlNotFound');
          return;
        }
        if (fault) throw faultError(service, fault.error);
        if (throttled(`${service}|${operation}|${account}|${scope.region}`)) throw faultError(service, 'Throttling');
        const handler = HANDLERS[service][operation];
        if (!handler) throw faultError(service, 'UnknownOperation', `The action ${operation} is not valid for this endpoint (fake AWS).`);
        if (!SERVICES[service].global && !world.isRegionEnabled(account, scope.region) && world.isOptInRegion(scope.region)) {
          throw faultError(service, 'OptInRequired');
        }
        output = handler(req, world);
        for (const field of options.omit?.[operation] ?? []) delete (output as Record<string, unknown>)[field];
      } catch (e) {
        const error = e instanceof ApiError ? e : new ApiError('InternalFailure', e instanceof Error ? e.message : String(e), 500);
        const wire = serializeError(service, error, requestId);
        finish(wire.status, wire.headers, wire.body, error.code);
        return;
      }
      const wire = serializeSuccess(service, operation, output, requestId);
      finish(wire.status, wire.headers, wire.body);
    });
  });

  let connections = 0;
  server.on('connection', () => connections++);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
