import type { Command } from 'commander';
import { register as clusters } from './clusters.js';
import { register as clv } from './clv.js';
import { register as cohorts } from './cohorts.js';
import { register as config } from './config.js';
import { register as customers } from './customers.js';
import { register as demo } from './demo.js';
import { register as experiments } from './experiments.js';
import { register as fairness } from './fairness.js';
import { register as importCmd } from './import.js';
import { register as imports } from './imports.js';
import { register as keys } from './keys.js';
import { register as overview } from './overview.js';
import { register as privacy } from './privacy.js';
import { register as propensity } from './propensity.js';
import { register as quality } from './quality.js';
import { register as recommend } from './recommend.js';
import { register as rfm } from './rfm.js';
import { register as segments } from './segments.js';
import { register as segmentsMeasure } from './segments-measure.js';
import { register as serve } from './serve.js';
import { register as workflows } from './workflows.js';
import { register as status } from './status.js';
import { register as webhooks } from './webhooks.js';

/** Every command group, in the order `segmint --help` lists them. */
export const commandModules: ReadonlyArray<(program: Command) => void> = [
  demo,
  importCmd,
  imports,
  serve,
  status,
  keys,
  overview,
  customers,
  privacy,
  quality,
  segments,
  segmentsMeasure,
  experiments,
  webhooks,
  rfm,
  cohorts,
  clusters,
  clv,
  propensity,
  recommend,
  fairness,
  workflows,
  config,
];
