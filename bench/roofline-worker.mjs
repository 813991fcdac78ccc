// The Node pool worker of the roofline suite: the library's task server with one task, 'roofline'
// (bench/roofline.mjs), so the probe runs on every worker at once without a task in src/.
import { serveTasks } from '../dist/index.js';
import { rooflineTask } from './roofline.mjs';

serveTasks({ roofline: rooflineTask });
