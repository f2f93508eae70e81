import type { Command } from 'commander';
import { register as registerCluster } from './cluster.js';
import { register as registerDecode } from './decode.js';
import { register as registerDemo } from './demo.js';
import { register as registerEval } from './eval.js';
import { register as registerExplain } from './explain.js';
import { register as registerExport } from './export.js';
import { register as registerIngest } from './ingest.js';
import { register as registerLabel } from './label.js';
import { register as registerShow } from './show.js';
import { register as registerSim } from './sim.js';
import { register as registerTrace } from './trace.js';
import { register as registerActor } from './actor.js';
import { register as registerIncident } from './incident.js';
import { register as registerScreen } from './screen.js';
import { register as registerServe } from './serve.js';
import { register as registerApikey } from './apikey.js';
import { register as registerMatch } from './match.js';
import { register as registerScreenName } from './screen-name.js';

/** Every command module; add yours here (one line). */
export function registerAll(program: Command): void {
  registerCluster(program);
  registerDecode(program);
  registerDemo(program);
  registerEval(program);
  registerExplain(program);
  registerExport(program);
  registerIngest(program);
  registerLabel(program);
  registerShow(program);
  registerSim(program);
  registerTrace(program);
  registerActor(program);
  registerIncident(program);
  registerScreen(program);
  registerServe(program);
  registerApikey(program);
  registerMatch(program);
  registerScreenName(program);
}
