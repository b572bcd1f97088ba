// The live-scan collectors, one module per AWS service, and the table of the read calls they make.
export { collectOrganization, type OrganizationAccount, type OrganizationCollected } from './organizations.js';
export { collectEnabledRegions, REGIONAL_TYPES, type EnabledRegions } from './regions.js';
export { collectIam, decodePolicyDocument, mayUseSes } from './iam.js';
export { collectSes, NOTIFICATION_BATCH, NOTIFICATION_INTERVAL_MS, type SesRegionOptions } from './ses.js';
export { collectSnsTopics, sesTopicArns } from './sns.js';
export { collectEc2 } from './ec2.js';
export { collectCloudWatch, type CloudWatchCollected } from './cloudwatch.js';
export { collectCloudTrail } from './cloudtrail.js';
export { staticScope, type StaticScope, type StaticScopeOptions } from './static-scope.js';
export { READ_CALLS, type ReadCall } from './read-calls.js';
