// The evidence bundle API: write a bundle of a run's outputs with a hashed manifest, verify it later.
export {
  BUNDLE_FORMAT,
  MANIFEST,
  verifyEvidenceBundle,
  writeEvidenceBundle,
  type BundleFile,
  type BundleMeta,
  type Manifest,
  type ManifestEntry,
  type VerifyResult,
  type WrittenBundle,
} from './bundle.js';
export { REDACTED, redactCommand } from './redact.js';
