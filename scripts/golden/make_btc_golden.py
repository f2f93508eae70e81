#!/usr/bin/python3
"""Golden decode files for the real mainnet blocks in ../shared/data/btc/blocks/mainnet.

Made with an implementation independent of Ledgerhound: Debian's python3-bitcoinlib 0.11.2
(a port of Bitcoin Core's serialization code) for block/tx decoding, txids, wtxids, merkle
roots, values and Base58/bech32 v0 addresses. python-bitcoinlib predates BIP350, so P2TR and
other v1+ witness addresses are encoded here with a bech32m encoder written from the BIP350
text. Script types follow Bitcoin Core's Solver() templates, classified here from raw bytes.

Run:  apt-get install python3-bitcoinlib && /usr/bin/python3 scripts/golden/make_btc_golden.py
Writes test/golden/btc/<block>.json.gz. Re-run only on purpose and review the diff.
"""
import gzip, hashlib, json, os, sys
import bitcoin
from bitcoin.core import CBlock, b2lx
from bitcoin.core.script import CScript
from bitcoin.wallet import CBitcoinAddress, P2PKHBitcoinAddress

bitcoin.SelectParams('mainnet')
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRC = os.path.join(ROOT, '..', 'shared', 'data', 'btc', 'blocks', 'mainnet')
OUT = os.path.join(ROOT, 'test', 'golden', 'btc')

CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'
def polymod(values):
    gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]
    chk = 1
    for v in values:
        b = chk >> 25
        chk = (chk & 0x1ffffff) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if ((b >> i) & 1) else 0
    return chk
def bech32m_encode(hrp, version, program):
    # BIP350: constant 0x2bc830a3; data = version + 8->5 bit regrouping of the program.
    acc = bits = 0; data = [version]
    for b in program:
        acc = (acc << 8) | b; bits += 8
        while bits >= 5:
            bits -= 5; data.append((acc >> bits) & 31)
    if bits: data.append((acc << (5 - bits)) & 31)
    values = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + data
    pm = polymod(values + [0] * 6) ^ 0x2bc830a3
    return hrp + '1' + ''.join(CHARSET[c] for c in data + [(pm >> 5 * (5 - i)) & 31 for i in range(6)])

def is_pubkey(b):
    return (len(b) == 33 and b[0] in (2, 3)) or (len(b) == 65 and b[0] in (4, 6, 7))

def classify(s):
    """(type, address) per Bitcoin Core Solver templates."""
    n = len(s)
    if n == 25 and s[0] == 0x76 and s[1] == 0xa9 and s[2] == 20 and s[23] == 0x88 and s[24] == 0xac:
        return 'p2pkh', str(CBitcoinAddress.from_scriptPubKey(CScript(s)))
    if n == 23 and s[0] == 0xa9 and s[1] == 20 and s[22] == 0x87:
        return 'p2sh', str(CBitcoinAddress.from_scriptPubKey(CScript(s)))
    if n in (35, 67) and s[0] == n - 2 and s[-1] == 0xac and is_pubkey(s[1:-1]):
        return 'p2pk', str(P2PKHBitcoinAddress.from_pubkey(s[1:-1]))
    if 4 <= n <= 42 and (s[0] == 0 or 0x51 <= s[0] <= 0x60) and s[1] == n - 2:
        if s[0] == 0:
            if n in (22, 34):
                return ('p2wpkh' if n == 22 else 'p2wsh'), str(CBitcoinAddress.from_scriptPubKey(CScript(s)))
            return 'nonstandard', None
        v = s[0] - 0x50
        return ('p2tr' if v == 1 and n == 34 else 'witness_unknown'), bech32m_encode('bc', v, s[2:])
    if n >= 1 and s[0] == 0x6a:
        return ('nulldata' if CScript(s[1:]).is_push_only() else 'nonstandard'), None
    if n >= 3 and 0x51 <= s[0] <= 0x60 and s[-1] == 0xae:
        m, k = s[0] - 0x50, s[-2] - 0x50
        keys, p = [], 1
        while p < n - 2:
            l = s[p]
            if l not in (33, 65) or p + 1 + l > n - 2: break
            keys.append(s[p + 1:p + 1 + l]); p += 1 + l
        if p == n - 2 and 1 <= k <= 16 and m <= k and len(keys) == k and all(is_pubkey(x) for x in keys):
            return 'multisig', None
    return 'nonstandard', None

def main():
    os.makedirs(OUT, exist_ok=True)
    for name in sorted(os.listdir(SRC)):
        if not name.endswith('.raw'): continue
        raw = open(os.path.join(SRC, name), 'rb').read()
        blk = CBlock.deserialize(raw)
        txs = []
        for tx in blk.vtx:
            ser = tx.serialize()
            txs.append({
                'txid': b2lx(tx.GetTxid()),
                'wtxid': b2lx(hashlib.sha256(hashlib.sha256(ser).digest()).digest()),
                'size': len(ser),
                'inputs': [[b2lx(i.prevout.hash), i.prevout.n, i.nSequence] for i in tx.vin],
                'outputs': [[o.nValue, *classify(bytes(o.scriptPubKey))] for o in tx.vout],
            })
        doc = {
            'source': name,
            'sha256': hashlib.sha256(raw).hexdigest(),
            'hash': b2lx(blk.GetHash()),
            'merkleRoot': b2lx(blk.hashMerkleRoot),
            'computedMerkleRoot': b2lx(blk.calc_merkle_root()),
            'time': blk.nTime,
            'txCount': len(blk.vtx),
            'transactions': txs,
        }
        with gzip.GzipFile(os.path.join(OUT, name.replace('.raw', '.json.gz')), 'wb', mtime=0) as f:
            f.write(json.dumps(doc, separators=(',', ':')).encode())
        print(name, doc['hash'], len(txs), file=sys.stderr)

main()
