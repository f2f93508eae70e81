/**
 * Hand-built chains for unit tests: transactions as lists of (address, value) inputs and outputs,
 * turned into the typed arrays the engine reads. Test support only (not exported from index.ts).
 */
import type { EngineArrays } from './engine.js';

export interface TestTx {
  /** Input addresses and values (address −1 = unknown/coinbase). */
  ins: readonly (readonly [number, number])[];
  /** Output addresses and values (address −1 = no address). */
  outs: readonly (readonly [number, number])[];
}

export function buildArrays(txs: readonly TestTx[], addressCount: number): EngineArrays {
  const nIn = txs.reduce((s, t) => s + t.ins.length, 0);
  const nOut = txs.reduce((s, t) => s + t.outs.length, 0);
  const a: EngineArrays = {
    txCount: txs.length,
    txBase: 0,
    inputBase: 0,
    outputBase: 0,
    addressCount,
    txFirstInput: new Uint32Array(txs.length + 1),
    txFirstOutput: new Uint32Array(txs.length + 1),
    inputAddress: new Uint32Array(nIn),
    inputValue: new Float64Array(nIn),
    outputAddress: new Uint32Array(nOut),
    outputValue: new Float64Array(nOut),
  };
  let i = 0;
  let o = 0;
  txs.forEach((t, k) => {
    a.txFirstInput[k] = i;
    a.txFirstOutput[k] = o;
    for (const [addr, v] of t.ins) {
      a.inputAddress[i] = addr < 0 ? 0xffffffff : addr;
      a.inputValue[i++] = v;
    }
    for (const [addr, v] of t.outs) {
      a.outputAddress[o] = addr < 0 ? 0xffffffff : addr;
      a.outputValue[o++] = v;
    }
  });
  a.txFirstInput[txs.length] = i;
  a.txFirstOutput[txs.length] = o;
  return a;
}
