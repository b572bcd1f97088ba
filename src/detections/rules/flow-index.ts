// The vpc-flow detectors, one module per detection id (logic); their metadata is policies/det/<id>.yaml.
import type { FlowDetector } from '../flows.js';
import { detector as det011 } from './SESG-DET-011.js';
import { detector as det012 } from './SESG-DET-012.js';

export const FLOW_DETECTORS: readonly FlowDetector[] = [det011, det012];
