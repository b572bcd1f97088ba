// The detectors, one module per detection id (logic); their metadata is policies/det/<id>.yaml.
import type { Detector } from '../types.js';
import { detector as det001 } from './SESG-DET-001.js';
import { detector as det002 } from './SESG-DET-002.js';
import { detector as det003 } from './SESG-DET-003.js';
import { detector as det004 } from './SESG-DET-004.js';
import { detector as det005 } from './SESG-DET-005.js';
import { detector as det006 } from './SESG-DET-006.js';
import { detector as det007 } from './SESG-DET-007.js';
import { detector as det008 } from './SESG-DET-008.js';
import { detector as det009 } from './SESG-DET-009.js';
import { detector as det010 } from './SESG-DET-010.js';
import { detector as det013 } from './SESG-DET-013.js';

export const DETECTORS: readonly Detector[] = [det001, det002, det003, det004, det005, det006, det007, det008, det009, det010, det013];
