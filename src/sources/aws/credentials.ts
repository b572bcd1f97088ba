// Credentials for the live scan: the caller's own through the standard AWS SDK v3 chain (env, profiles, SSO,
// web identity / GitHub OIDC, instance roles), and per member account an AssumeRole into the audit role,
// refreshed before it expires. Secrets never leave these objects: nothing here logs or formats them.
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { AccountClients } from './clients.js';
import type { ClientConstructor } from './types.js';

export function callerCredentials(profile?: string): AwsCredentialIdentityProvider {
  return fromNodeProviderChain(profile ? { profile } : {});
}

export interface CallerIdentity {
  account: string;
  arn: string;
}

/** The STS client of the caller's own credentials: it answers who the caller is and assumes every audit role. */
export function callerSts(caller: AccountClients, region: string): STSClient {
  return caller.client(STSClient as unknown as ClientConstructor<STSClient>, region);
}

export async function whoAmI(sts: STSClient): Promise<CallerIdentity> {
  const out = await sts.send(new GetCallerIdentityCommand({}));
  return { account: out.Account ?? '', arn: out.Arn ?? '' };
}

export interface AssumeOptions {
  /** The caller's STS client (callerSts). */
  sts: STSClient;
  roleArn: string;
  externalId?: string;
  sessionName?: string;
}

/** A provider that assumes the role on first use and again five minutes before the credentials expire. */
export function assumedRole(options: AssumeOptions): AwsCredentialIdentityProvider {
  let current: AwsCredentialIdentity | null = null;
  let pending: Promise<AwsCredentialIdentity> | null = null;
  const fetch = async (): Promise<AwsCredentialIdentity> => {
    const out = await options.sts.send(
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
