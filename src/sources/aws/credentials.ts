// Credentials for the live scan: the caller's own through the standard AWS SDK v3 chain (env, profiles, SSO,
// web identity / GitHub OIDC, instance roles), and per member account an AssumeRole into the audit role,
// refreshed before it expires. Secrets never leave these objects: nothing here logs or formats them.
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { ClientFactoryOptions } from './clients.js';
import { clientConfig } from './clients.js';

export function callerCredentials(profile?: string): AwsCredentialIdentityProvider {
  return fromNodeProviderChain(profile ? { profile } : {});
}

export interface CallerIdentity {
  account: string;
  arn: string;
}

export async function whoAmI(credentials: AwsCredentialIdentityProvider, options: ClientFactoryOptions, region: string): Promise<CallerIdentity> {
  const sts = new STSClient(clientConfig({ ...options, credentials }, region) as STSClientConfig);
  const out = await sts.send(new GetCallerIdentityCommand({}));
  return { account: out.Account ?? '', arn: out.Arn ?? '' };
}

export interface AssumeOptions {
  base: AwsCredentialIdentityProvider;
  roleArn: string;
  externalId?: string;
  client: ClientFactoryOptions;
  region: string;
  sessionName?: string;
}

/** A provider that assumes the role on first use and again five minutes before the credentials expire. */
export function assumedRole(options: AssumeOptions): AwsCredentialIdentityProvider {
  let current: AwsCredentialIdentity | null = null;
  let pending: Promise<AwsCredentialIdentity> | null = null;
  const sts = new STSClient(clientConfig({ ...options.client, credentials: options.base }, options.region) as STSClientConfig);
  const fetch = async (): Promise<AwsCredentialIdentity> => {
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: options.roleArn,
        RoleSessionName: options.sessionName ?? 'sesguard-audit',
        DurationSeconds: 3600,
        ...(options.externalId ? { ExternalId: options.externalId } : {}),
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  };
  return async () => {
    const fresh = current && (!current.expiration || current.expiration.getTime() - Date.now() > 5 * 60_000);
    if (fresh && current) return current;
    pending ??= fetch().finally(() => {
      pending = null;
    });
    current = await pending;
    return current;
  };
}
