// The one list of experiments. The CLI, merge, report, reproduce, the worker entry and the page
// iterate over it; adding an experiment is one folder with its descriptor and one line here.
import type { Comparison, Experiment } from './experiment/descriptor.js';
import { theoryDescriptor } from './theory/descriptor.js';
import { pspinDescriptor } from './pspin/descriptor.js';
import { mlpDescriptor } from './mlp/descriptor.js';
import { hessianDescriptor } from './curvature/descriptor.js';
import { annealNetsDescriptor } from './anneal/descriptor.js';
import { auditDescriptor } from './audit/descriptor.js';
import { sideBySideComparison } from './report/side-by-side.js';
import { curvaturePairComparison } from './report/curvature-pair.js';

/** In report order. */
export const EXPERIMENTS: readonly Experiment[] = [
  theoryDescriptor,
  pspinDescriptor,
  mlpDescriptor,
  hessianDescriptor,
  annealNetsDescriptor,
  auditDescriptor,
];

/** Report sections that pair experiments. */
export const COMPARISONS: readonly Comparison[] = [sideBySideComparison, curvaturePairComparison];

export function experimentNamed(name: string, list: readonly Experiment[] = EXPERIMENTS): Experiment | undefined {
  return list.find((e) => e.name === name);
}
