import type { Command } from 'commander';
import { register as registerDecode } from './decode.js';
import { register as registerLabel } from './label.js';

/** Every command module; add yours here (one line). */
export function registerAll(program: Command): void {
  registerDecode(program);
  registerLabel(program);
}
