export {
  addressKey,
  addressKind,
  decodeAddress,
  encodeAddress,
  encodeAddressKey,
  hash160,
  scriptForAddress,
} from './bitcoin/address.js';
export type { DecodedAddress, EncodableType } from './bitcoin/address.js';
export { bip34Height, decodeBlock, decodeTx } from './bitcoin/decode.js';
export type { DecodedBlock, DecodedTx } from './bitcoin/decode.js';
export { hashToHex, hexToHash, sha256, sha256d } from './bitcoin/hash.js';
export { sha256dBlockMany } from './bitcoin/_sha256x4.js';
export { loadNativeForComparison, native, nativeUnavailable, setNativeEnabled } from './bitcoin/native.js';
export type { NativeAccel } from './bitcoin/native.js';
export { HEADER_SIZE, parseHeader, workFromBits } from './bitcoin/header.js';
export type { BlockHeader } from './bitcoin/header.js';
export { asNetwork, NETWORK_NAMES, NETWORKS } from './bitcoin/networks.js';
export type { Network, NetworkParams } from './bitcoin/networks.js';
export { merkleRoot, parseBlock, parseBlockTransient, parseTransaction } from './bitcoin/parseBlock.js';
export type { ParsedBlock, ParseLoc } from './bitcoin/parseBlock.js';
export {
  classifyScript,
  multisigKeys,
  SCRIPT_TYPES,
  ST_MULTISIG,
  ST_NONSTANDARD,
  ST_NULLDATA,
  ST_P2PK,
  ST_P2PKH,
  ST_P2SH,
  ST_P2TR,
  ST_P2WPKH,
  ST_P2WSH,
  ST_WITNESS_UNKNOWN,
} from './bitcoin/script.js';
export type { ScriptType } from './bitcoin/script.js';
export { blockHash, ByteWriter, computeMerkleRoot, frameBlock, scriptNumPush, serializeBlock, serializeHeader, serializeTx, txHashes, txidOfSpan, varintSize, witnessCommitmentScript, WITNESS_RESERVED_VALUE, writeTx, wtxidOfSpan, xorObfuscate } from './bitcoin/serialize.js';
export type { HeaderData, TxData, TxInput, TxOutput, TxSpan } from './bitcoin/serialize.js';
export { BlkReader, listBlkFiles, MAX_BLOCK_SERIALIZED_SIZE, RECORD_PREAMBLE, readXorKey, scanBlkFile, xorInPlace } from './bitcoin/blkFiles.js';
export type { BlkFile, BlkFileScan, BlockLocation, TruncatedRecord } from './bitcoin/blkFiles.js';
export { BlockIndex } from './bitcoin/blockIndex.js';
export type { ChainSelection, IndexedBlock } from './bitcoin/blockIndex.js';
