// The worker entry, a composition root: each domain contributes its task handlers here.
import { serveTasks } from './pool/serve.js';
import { coreTasks } from './tasks/core.js';
import { sampleTasks } from './tasks/samples.js';
import { pspinTasks } from './pspin/batch.js';
import { mlpTasks } from './mlp/task.js';

serveTasks({ ...coreTasks, ...sampleTasks, ...pspinTasks, ...mlpTasks });
