export { BlockFileWriter, MAX_BLOCKFILE_SIZE } from './BlockFileWriter.js';
export { Rng } from './Rng.js';
export { DEMO_PRESET, genesisBlock, planFor, simulateBitcoin } from './simulateBitcoin.js';
export type { SimOptions, SimProgress, SimResult } from './simulateBitcoin.js';
export { loadTruth, TruthWriter } from './truth.js';
export type { EntityType, Truth, TruthAddress, TruthChain, TruthCoinJoin, TruthEntity, TruthIncident, TruthOutput } from './truth.js';
