/** Bitcoin networks Ledgerhound reads, with the parameters decoding needs (Bitcoin Core's chainparams.cpp). */
export type Network = 'main' | 'test' | 'testnet4' | 'signet' | 'regtest';

export interface NetworkParams {
  /** Message start bytes, as they appear on disk before every blk-file record. */
  magic: Buffer;
  /** Human-readable part of bech32/bech32m addresses (BIP173). */
  bech32: string;
  /** Base58Check version byte of P2PKH addresses. */
  pubKeyHash: number;
  /** Base58Check version byte of P2SH addresses. */
  scriptHash: number;
  /** Hash of the genesis block, display (reversed) hex. */
  genesisHash: string;
}

export const NETWORKS: Readonly<Record<Network, NetworkParams>> = {
  main: {
    magic: Buffer.from('f9beb4d9', 'hex'),
    bech32: 'bc',
    pubKeyHash: 0x00,
    scriptHash: 0x05,
    genesisHash: '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f',
  },
  test: {
    magic: Buffer.from('0b110907', 'hex'),
    bech32: 'tb',
    pubKeyHash: 0x6f,
    scriptHash: 0xc4,
    genesisHash: '000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943',
  },
  testnet4: {
    magic: Buffer.from('1c163f28', 'hex'),
    bech32: 'tb',
    pubKeyHash: 0x6f,
    scriptHash: 0xc4,
    genesisHash: '00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043',
  },
  signet: {
    magic: Buffer.from('0a03cf40', 'hex'),
    bech32: 'tb',
    pubKeyHash: 0x6f,
    scriptHash: 0xc4,
    genesisHash: '00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6',
  },
  regtest: {
    magic: Buffer.from('fabfb5da', 'hex'),
    bech32: 'bcrt',
    pubKeyHash: 0x6f,
    scriptHash: 0xc4,
    genesisHash: '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206',
  },
};

export const NETWORK_NAMES: readonly Network[] = ['main', 'test', 'testnet4', 'signet', 'regtest'];

/** Narrows a user-supplied string to a Network, or returns null. */
export function asNetwork(name: string): Network | null {
  return (NETWORK_NAMES as readonly string[]).includes(name) ? (name as Network) : null;
}
