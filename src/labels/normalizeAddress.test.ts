import { describe, expect, it } from 'vitest';
import { evmProblem, normalizeAddress, toChecksumAddress } from './normalizeAddress.js';

// EIP-55 (https://eips.ethereum.org/EIPS/eip-55), "Test Cases": all caps, all lower, normal.
const EIP55_ALL_CAPS = ['0x52908400098527886E0F7030069857D2E4169EE7', '0x8617E340B3D01FA5F11F306F4090FD50E238070D'];
const EIP55_ALL_LOWER = ['0xde709f2102306220921060314715629080e2fb77', '0x27b1fdb04752bbc536007a920d24acb045561c26'];
const EIP55_NORMAL = [
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
];

describe('normalizeAddress', () => {
  for (const v of EIP55_NORMAL) {
    it(`EIP-55 vector ${v}: checksum recomputed, accepted, stored lower-case`, () => {
      expect(toChecksumAddress(v.toLowerCase())).toBe(v);
      expect(normalizeAddress('ETH', v)).toEqual({ ok: true, address: v.toLowerCase(), currency: 'ETH' });
    });
  }
  it('EIP-55: all-caps and all-lower forms carry no checksum and are accepted', () => {
    for (const v of [...EIP55_ALL_CAPS, ...EIP55_ALL_LOWER]) expect(evmProblem(v)).toBeNull();
  });
  it('EIP-55: one letter with the wrong case is rejected, naming the checksummed form', () => {
    const bad = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD';
    const r = normalizeAddress('ETH', bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(/EIP-55 checksum mismatch \(checksummed form is 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\)/);
    expect(normalizeAddress('ETH', '0x1234').ok).toBe(false);
  });
  it('BTC via the chain decoder: BIP173 vectors, bech32 lower-cased, Base58 kept, any network', () => {
    expect(normalizeAddress('btc', ' BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4 ')).toEqual({ ok: true, address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', currency: 'BTC' });
    expect(normalizeAddress('BTC', 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7').ok).toBe(true);
    expect(normalizeAddress('BTC', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy')).toEqual({ ok: true, address: '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', currency: 'BTC' });
    const bad = normalizeAddress('BTC', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problem).toMatch(/invalid Bitcoin address/);
  });
  it('other chains: kept as written, trimmed; USDT on Ethereum treated as an EVM account', () => {
    expect(normalizeAddress('XMR', ' 4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2684Rge ')).toMatchObject({ ok: true, currency: 'XMR' });
    expect(normalizeAddress('USDT', '0x52908400098527886E0F7030069857D2E4169EE7')).toMatchObject({ ok: true, address: '0x52908400098527886e0f7030069857d2e4169ee7' });
    expect(normalizeAddress('TRX', 'TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq')).toMatchObject({ ok: true, address: 'TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq' });
    expect(normalizeAddress('XRP', 'r a b').ok).toBe(false);
    expect(normalizeAddress('', 'x').ok).toBe(false);
  });
});
