// The Chromium pool worker of the roofline suite (a module worker started by the bench worker's
// pool): the bundle's task server with the one task 'roofline' from bench/roofline.mjs.
import { serveTasks } from '../../bundle/index.js';
import { rooflineTask } from '../roofline.mjs';

serveTasks({ roofline: rooflineTask });
