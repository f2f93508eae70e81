import type { Command } from 'commander';
import { register as registerDecode } from './decode.js';
import { register as registerIngest } from './ingest.js';
import { register as registerLabel } from './label.js';
import { register as registerShow } from './show.js';

/** Every command module; add yours here (one line). */
export function registerAll(program: Command): void {
  registerDecode(program);
  registerIngest(program);
  registerLabel(program);
  registerShow(program);
}
