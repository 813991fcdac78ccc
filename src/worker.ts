// The worker entry, a composition root: the core tasks plus every registered experiment's handlers.
import { serveTasks } from './pool/serve.js';
import { coreTasks } from './tasks/core.js';
import { sampleTasks } from './tasks/samples.js';
import { EXPERIMENTS } from './registry.js';

serveTasks(Object.assign({ ...coreTasks, ...sampleTasks }, ...EXPERIMENTS.map((e) => e.handlers)));
