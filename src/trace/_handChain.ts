/**
 * Builds TraceChain arrays from a list of transactions written by hand (tests and bench only): each input
 * names the transaction index and vout it spends, or null for a coinbase input.
 */
import { NONE, type TraceChain } from './chain.js';

export interface HandTx {
  inputs: ([tx: number, vout: number] | null)[];
  outputs: { value: number; address?: number }[];
  height?: number;
}

/** Chain arrays for `txs` (tx ids are the list indices; output ids count in order). */
export function handChain(txs: readonly HandTx[]): TraceChain & { outputId: (tx: number, vout: number) => number } {
  const txCount = txs.length;
  const txFirstInput = new Uint32Array(txCount + 1);
  const txFirstOutput = new Uint32Array(txCount + 1);
  let nIn = 0;
  let nOut = 0;
  txs.forEach((t, i) => {
    txFirstInput[i] = nIn;
    txFirstOutput[i] = nOut;
    nIn += t.inputs.length;
    nOut += t.outputs.length;
  });
  txFirstInput[txCount] = nIn;
  txFirstOutput[txCount] = nOut;
  const outputId = (tx: number, vout: number): number => {
    const t = txs[tx];
    if (t === undefined || vout >= t.outputs.length) throw new RangeError(`handChain: no output ${tx}:${vout}`);
    return txFirstOutput[tx]! + vout;
  };
  const txHeight = new Int32Array(txCount);
  const txTime = new Uint32Array(txCount);
  const inputSpentOutput = new Uint32Array(nIn).fill(NONE);
  const outputTx = new Uint32Array(nOut);
  const outputValue = new Float64Array(nOut);
  const outputAddress = new Uint32Array(nOut).fill(NONE);
  const outputSpendingTx = new Uint32Array(nOut).fill(NONE);
  txs.forEach((t, i) => {
    txHeight[i] = t.height ?? i;
    txTime[i] = 1_600_000_000 + (t.height ?? i) * 600;
    t.outputs.forEach((o, k) => {
      const id = txFirstOutput[i]! + k;
      outputTx[id] = i;
      outputValue[id] = o.value;
      if (o.address !== undefined) outputAddress[id] = o.address;
    });
    t.inputs.forEach((ref, j) => {
      if (ref === null) return;
      if (ref[0] >= i) throw new RangeError(`handChain: tx ${i} spends ${ref[0]}:${ref[1]}, which is not earlier`);
      const so = outputId(ref[0], ref[1]);
      if (outputSpendingTx[so] !== NONE) throw new RangeError(`handChain: ${ref[0]}:${ref[1]} spent twice`);
      inputSpentOutput[txFirstInput[i]! + j] = so;
      outputSpendingTx[so] = i;
    });
  });
  return { txCount, txFirstInput, txFirstOutput, txHeight, txTime, inputSpentOutput, outputTx, outputValue, outputAddress, outputSpendingTx, outputId };
}
