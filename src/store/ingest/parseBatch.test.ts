import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressKey, classifyScript, parseBlock } from '../../chain/index.js';
import { sharedPath } from '../../../test/helpers/sharedData.js';
import { parseBatch, writeAddressKey } from './parseBatch.js';

/** writeAddressKey's bytes for one script, as a latin1 string (null when it writes none). */
function written(script: Uint8Array): string | null {
  const keys = Buffer.alloc(64);
  const end = writeAddressKey(keys, 0, script, 0, script.length, classifyScript(script, 0, script.length));
  return end === 0 ? null : keys.toString('latin1', 0, end);
}

const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

describe('parseBatch', () => {
  const dir = sharedPath('btc', 'blocks', 'mainnet');
  const files = readdirSync(dir).filter((f) => /^block_\d+\.raw$/.test(f));

  it('writes the same address key bytes as addressKey() for every output of the real mainnet blocks', () => {
    let outputs = 0;
    for (const f of files) {
      const b = readFileSync(join(dir, f));
      const p = parseBlock(b);
      for (let k = 0; k < (p.txOutputStart[p.txCount] as number); k++) {
        const so = p.outScriptOffset[k] as number;
        const sl = p.outScriptLength[k] as number;
        const script = b.subarray(so, so + sl);
        expect(written(script), `${f} output ${k}`).toBe(addressKey(b, so, sl, classifyScript(b, so, sl)));
        outputs++;
      }
    }
    expect(outputs).toBeGreaterThan(10_000);
  });

  it('agrees with addressKey() on every script type, unknown witness versions and P2PK included', () => {
    const h20 = '11'.repeat(20);
    const h32 = '22'.repeat(32);
    const pub = `02${'33'.repeat(32)}`;
    for (const s of [
      `76a914${h20}88ac`, // p2pkh
      `a914${h20}87`, // p2sh
      `0014${h20}`, // p2wpkh
      `0020${h32}`, // p2wsh
      `5120${h32}`, // p2tr
      `5210${'44'.repeat(16)}`, // witness v2, 16-byte program
      `6028${'55'.repeat(40)}`, // witness v16, 40 bytes
      `5119${'66'.repeat(25)}`, // witness v1 of another length
      `21${pub}ac`, // p2pk (compressed)
      `4104${'77'.repeat(64)}ac`, // p2pk (uncompressed)
      `5121${pub}21${pub}52ae`, // bare multisig: no key
      '6a0401020304', // nulldata
      '51', // non-standard
    ]) {
      const script = hex(s);
      expect(written(script), s).toBe(addressKey(script, 0, script.length, classifyScript(script, 0, script.length)));
    }
  });

  it('copies every input\'s previous txid', () => {
    const b = readFileSync(join(dir, 'block_481829.raw'));
    const p = parseBlock(b);
    const batch = parseBatch(b, [{ at: 0, size: b.length, file: 'block_481829.raw', fileOffset: 0 }]);
    expect(batch.inputCount).toBe(p.txInputStart[p.txCount]);
    for (let j = 0; j < batch.inputCount; j++) {
      const at = p.inPrevTxidOffset[j] as number;
      expect(Buffer.from(batch.inPrevTxid.subarray(32 * j, 32 * j + 32)).equals(b.subarray(at, at + 32))).toBe(true);
    }
  });
});
