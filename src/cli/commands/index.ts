import type { Command } from 'commander';
import { register as registerDecode } from './decode.js';
import { register as registerEval } from './eval.js';
import { register as registerIngest } from './ingest.js';
import { register as registerLabel } from './label.js';
import { register as registerShow } from './show.js';
import { register as registerSim } from './sim.js';

/** Every command module; add yours here (one line). */
export function registerAll(program: Command): void {
  registerDecode(program);
  registerEval(program);
  registerIngest(program);
  registerLabel(program);
  registerShow(program);
  registerSim(program);
}
