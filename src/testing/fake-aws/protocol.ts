// Wire protocols of the fake: which protocol each service speaks (as confirmed in the installed
// SDK v3 clients), how a success body is written, and how each fault kind is serialized so the
// SDK surfaces the error name and HTTP status AWS itself would produce.
//
//   service        signing name   protocol (installed client)        operation from
//   organizations  organizations  awsJson1_1  AWSOrganizationsV20161128 X-Amz-Target
//   cloudtrail     cloudtrail     awsJson1_1  CloudTrail_20131101       X-Amz-Target
//   logs           logs           awsJson1_1  Logs_20140328             X-Amz-Target
//   cloudwatch     monitoring     awsJson1_0  GraniteServiceVersion20100801 (awsQueryCompatible)
//   account        account        restJson1   POST /listRegions
//   sesv2          ses            restJson1   /v2/email/…
//   ses (v1)       ses            awsQuery    Action=…
//   iam, sts, sns  iam/sts/sns    awsQuery    Action=…
//   ec2            ec2            ec2Query    Action=…
import { toXml, escapeXml } from './xml.js';

export type ServiceKey =
  | 'organizations'
  | 'sts'
  | 'account'
  | 'iam'
  | 'sesv2'
  | 'ses'
  | 'sns'
  | 'ec2'
  | 'cloudwatch'
  | 'cloudtrail'
  | 'logs';

export type Protocol = 'awsJson1_0' | 'awsJson1_1' | 'restJson1' | 'awsQuery' | 'ec2Query';

/**
 * Faults that are no AWS answer: `Timeout` never answers; `HtmlNotFound` answers what an emulator or a proxy
 * answers for a path it does not serve (HTTP 404 with an HTML page), not AWS's error shape.
 */
export type TransportFault = 'Timeout' | 'HtmlNotFound';

export type FaultKind = 'AccessDenied' | 'UnknownOperation' | 'OptInRequired' | 'Throttling' | TransportFault;

export interface ServiceInfo {
  protocol: Protocol;
  /** XML namespace of query / EC2 responses. */
  xmlns?: string;
  /** CloudWatch: JSON protocol that also sends the legacy query error code in `x-amzn-query-error`. */
  queryCompatible?: boolean;
  /** Global services are signed for us-east-1 and are never region-gated. */
  global?: boolean;
}

export const SERVICES: Record<ServiceKey, ServiceInfo> = {
  organizations: { protocol: 'awsJson1_1', global: true },
  sts: { protocol: 'awsQuery', xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/', global: true },
  account: { protocol: 'restJson1', global: true },
  iam: { protocol: 'awsQuery', xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/', global: true },
  sesv2: { protocol: 'restJson1' },
  ses: { protocol: 'awsQuery', xmlns: 'http://ses.amazonaws.com/doc/2010-12-01/' },
  sns: { protocol: 'awsQuery', xmlns: 'http://sns.amazonaws.com/doc/2010-03-31/' },
  ec2: { protocol: 'ec2Query', xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/' },
  cloudwatch: { protocol: 'awsJson1_0', queryCompatible: true },
  cloudtrail: { protocol: 'awsJson1_1' },
  logs: { protocol: 'awsJson1_1' },
};

/** SigV4 signing name → service (SES v1 and v2 share `ses`; the path tells them apart). */
export const SIGNING_NAMES: Record<string, ServiceKey> = {
  organizations: 'organizations',
  sts: 'sts',
  account: 'account',
  iam: 'iam',
  ses: 'ses',
  sns: 'sns',
  ec2: 'ec2',
  monitoring: 'cloudwatch',
  cloudtrail: 'cloudtrail',
  logs: 'logs',
};

/** An error the fake answers with: `code` is the wire code; `status` the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** CloudWatch (query-compatible JSON): the JSON `__type`, when it differs from the query code. */
    readonly jsonType?: string,
  ) {
    super(message);
  }
}

interface ErrorSpec {
  code: string;
  status: number;
  jsonType?: string;
}

/**
 * How each service reports each fault kind. OptInRequired is what a call into a region the account
 * has not enabled returns: EC2 says `OptInRequired`; query services reject the credentials
 * (`InvalidClientTokenId`), JSON services `UnrecognizedClientException`, STS `RegionDisabledException`.
 */
const FAULTS: Record<ServiceKey, Record<Exclude<FaultKind, TransportFault>, ErrorSpec>> = {
  organizations: {
    AccessDenied: { code: 'AccessDeniedException', status: 400 },
    Throttling: { code: 'TooManyRequestsException', status: 400 },
    UnknownOperation: { code: 'UnknownOperationException', status: 400 },
    OptInRequired: { code: 'UnrecognizedClientException', status: 400 },
  },
  sts: {
    AccessDenied: { code: 'AccessDenied', status: 403 },
    Throttling: { code: 'Throttling', status: 400 },
    UnknownOperation: { code: 'InvalidAction', status: 400 },
    OptInRequired: { code: 'RegionDisabledException', status: 403 },
  },
  account: {
    AccessDenied: { code: 'AccessDeniedException', status: 403 },
    Throttling: { code: 'TooManyRequestsException', status: 429 },
    UnknownOperation: { code: 'UnknownOperationException', status: 404 },
    OptInRequired: { code: 'UnrecognizedClientException', status: 403 },
  },
  iam: {
    AccessDenied: { code: 'AccessDenied', status: 403 },
    Throttling: { code: 'Throttling', status: 400 },
    UnknownOperation: { code: 'InvalidAction', status: 400 },
    OptInRequired: { code: 'InvalidClientTokenId', status: 403 },
  },
  sesv2: {
    AccessDenied: { code: 'AccessDeniedException', status: 403 },
    Throttling: { code: 'TooManyRequestsException', status: 429 },
    UnknownOperation: { code: 'UnknownOperationException', status: 404 },
    OptInRequired: { code: 'UnrecognizedClientException', status: 403 },
  },
  ses: {
    AccessDenied: { code: 'AccessDenied', status: 403 },
    Throttling: { code: 'Throttling', status: 400 },
    UnknownOperation: { code: 'InvalidAction', status: 400 },
    OptInRequired: { code: 'InvalidClientTokenId', status: 403 },
  },
  sns: {
    AccessDenied: { code: 'AuthorizationError', status: 403 },
    Throttling: { code: 'Throttled', status: 400 },
    UnknownOperation: { code: 'InvalidAction', status: 400 },
    OptInRequired: { code: 'InvalidClientTokenId', status: 403 },
  },
  ec2: {
    AccessDenied: { code: 'UnauthorizedOperation', status: 403 },
    Throttling: { code: 'RequestLimitExceeded', status: 503 },
    UnknownOperation: { code: 'InvalidAction', status: 400 },
    OptInRequired: { code: 'OptInRequired', status: 401 },
  },
  cloudwatch: {
    AccessDenied: { code: 'AccessDenied', status: 403, jsonType: 'AccessDeniedException' },
    Throttling: { code: 'Throttling', status: 400, jsonType: 'ThrottlingException' },
    UnknownOperation: { code: 'InvalidAction', status: 400, jsonType: 'UnknownOperationException' },
    OptInRequired: { code: 'InvalidClientTokenId', status: 403, jsonType: 'UnrecognizedClientException' },
  },
  cloudtrail: {
    AccessDenied: { code: 'AccessDeniedException', status: 400 },
    Throttling: { code: 'ThrottlingException', status: 400 },
    UnknownOperation: { code: 'UnknownOperationException', status: 400 },
    OptInRequired: { code: 'UnrecognizedClientException', status: 400 },
  },
  logs: {
    AccessDenied: { code: 'AccessDeniedException', status: 400 },
    Throttling: { code: 'ThrottlingException', status: 400 },
    UnknownOperation: { code: 'UnknownOperationException', status: 400 },
    OptInRequired: { code: 'UnrecognizedClientException', status: 400 },
  },
};

const FAULT_MESSAGES: Record<Exclude<FaultKind, TransportFault>, string> = {
  AccessDenied: 'User is not authorized to perform this operation (fake fault)',
  Throttling: 'Rate exceeded',
  UnknownOperation: 'The requested operation is not supported (fake fault)',
  OptInRequired: 'The region is not enabled for this account',
};

export function faultError(service: ServiceKey, kind: Exclude<FaultKind, TransportFault>, detail?: string): ApiError {
  const spec = FAULTS[service][kind];
  return new ApiError(spec.code, detail ?? FAULT_MESSAGES[kind], spec.status, spec.jsonType);
}

/** The wire code a fault kind has for a service (documented in the README table). */
export function faultCode(service: ServiceKey, kind: Exclude<FaultKind, TransportFault>): string {
  return FAULTS[service][kind].code;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** JSON with Dates as epoch seconds, as the JSON protocols send timestamps by default. */
function jsonBody(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return raw.getTime() / 1000;
    return v;
  });
}

export function serializeSuccess(service: ServiceKey, operation: string, output: unknown, requestId: string): WireResponse {
  const info = SERVICES[service];
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId };
  switch (info.protocol) {
    case 'awsJson1_0':
    case 'awsJson1_1':
      headers['content-type'] = `application/x-amz-json-${info.protocol === 'awsJson1_0' ? '1.0' : '1.1'}`;
      return { status: 200, headers, body: jsonBody(output ?? {}) };
    case 'restJson1':
      headers['content-type'] = 'application/json';
      return { status: 200, headers, body: jsonBody(output ?? {}) };
    case 'awsQuery': {
      headers['content-type'] = 'text/xml';
      const result = toXml((output ?? {}) as Record<string, unknown>, 'member');
      const body =
        `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="${info.xmlns}">` +
        `<${operation}Result>${result}</${operation}Result>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
      return { status: 200, headers, body };
    }
    case 'ec2Query': {
      headers['content-type'] = 'text/xml;charset=UTF-8';
      const result = toXml((output ?? {}) as Record<string, unknown>, 'item');
      const body =
        `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="${info.xmlns}">` +
        `<requestId>${requestId}</requestId>${result}</${operation}Response>`;
      return { status: 200, headers, body };
    }
  }
}

export function serializeError(service: ServiceKey, error: ApiError, requestId: string): WireResponse {
  const info = SERVICES[service];
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId };
  const message = escapeXml(error.message);
  switch (info.protocol) {
    case 'awsJson1_0':
    case 'awsJson1_1':
    case 'restJson1': {
      headers['content-type'] =
        info.protocol === 'restJson1' ? 'application/json' : `application/x-amz-json-${info.protocol === 'awsJson1_0' ? '1.0' : '1.1'}`;
      let type = error.code;
      if (info.queryCompatible) {
        headers['x-amzn-query-error'] = `${error.code};${error.status >= 500 ? 'Receiver' : 'Sender'}`;
        type = error.jsonType ?? error.code;
      }
      headers['x-amzn-errortype'] = type;
      return { status: error.status, headers, body: JSON.stringify({ __type: type, message: error.message }) };
    }
    case 'awsQuery': {
      headers['content-type'] = 'text/xml';
      const type = error.status >= 500 ? 'Receiver' : 'Sender';
      const body =
        `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${info.xmlns}"><Error><Type>${type}</Type>` +
        `<Code>${escapeXml(error.code)}</Code><Message>${message}</Message></Error>` +
        `<RequestId>${requestId}</RequestId></ErrorResponse>`;
      return { status: error.status, headers, body };
    }
    case 'ec2Query': {
      headers['content-type'] = 'text/xml;charset=UTF-8';
      const body =
        `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(error.code)}</Code>` +
        `<Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
      return { status: error.status, headers, body };
    }
  }
}
