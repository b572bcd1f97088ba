// The configuration (SPEC §7) as loaded from sesguard.yaml, and the effective values checks see.
import type { Severity } from '../engine/types.js';

export interface Thresholds {
  maxAccessKeyAgeDays: number;
  maxAccessKeyIdleDays: number;
  quotaAlertRatio: number;
  bounceAlarmMax: number;
  complaintAlarmMax: number;
  reconRegions: number;
  reconWindowMinutes: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  maxAccessKeyAgeDays: 90,
  maxAccessKeyIdleDays: 90,
  quotaAlertRatio: 0.8,
  bounceAlarmMax: 0.05,
  complaintAlarmMax: 0.001,
  reconRegions: 3,
  reconWindowMinutes: 60,
};

export interface ConfigSuppression {
  check: string;
  resource: string;
  reason: string;
  expires?: string;
}

/** The file as written (validated by schemas/config.schema.json). */
export interface ConfigFile {
  approvedRegions?: string[];
  trustedAccounts?: string[];
  organizationId?: string;
  approvedDomainIdentities?: string[];
  approvedMailRelays?: string[];
  thresholds?: Partial<Thresholds>;
  checks?: Record<string, { enabled?: boolean; severity?: Severity }>;
  suppressions?: ConfigSuppression[];
  policyDirs?: string[];
}

/** Loaded config with defaults filled and paths resolved. */
export interface Config {
  /** The file it came from, or null for defaults. */
  file: string | null;
  approvedRegions: string[];
  approvedRegionsSet: boolean;
  trustedAccounts: string[];
  /** Our Organization's id (`o-…`): what aws:PrincipalOrgID conditions are judged against. Null when not set. */
  organizationId: string | null;
  approvedDomainIdentities: string[];
  /** Destinations (CIDRs) workloads may reach on mail ports: SESG-DET-011 stays quiet for them. */
  approvedMailRelays: string[];
  thresholds: Thresholds;
  checks: Record<string, { enabled?: boolean; severity?: Severity }>;
  suppressions: ConfigSuppression[];
  /** Absolute paths. */
  policyDirs: string[];
}

export function defaultConfig(): Config {
  return {
    file: null,
    approvedRegions: [],
    approvedRegionsSet: false,
    trustedAccounts: [],
    organizationId: null,
    approvedDomainIdentities: [],
    approvedMailRelays: [],
    thresholds: { ...DEFAULT_THRESHOLDS },
    checks: {},
    suppressions: [],
    policyDirs: [],
  };
}

/**
 * The `config` variable of CEL expressions. `now` is the reference time of the data (the scan's or the
 * snapshot's capture time), so evaluating a saved snapshot later gives the same results. `organizationId`:
 * the id a live scan read from the Organization, else the configured one, else null.
 */
export function celConfig(config: Config, now: Date = new Date(0), organizationId?: string | null): Record<string, unknown> {
  return {
    now: now.toISOString(),
    approvedRegions: config.approvedRegions,
    approvedRegionsSet: config.approvedRegionsSet,
    trustedAccounts: config.trustedAccounts,
    organizationId: organizationId ?? config.organizationId,
    approvedDomainIdentities: config.approvedDomainIdentities,
    thresholds: { ...config.thresholds },
  };
}
