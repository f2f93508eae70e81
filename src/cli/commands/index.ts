import type { Command } from 'commander';

/** Every command module; add yours here (one line). */
export function registerAll(_program: Command): void {}
