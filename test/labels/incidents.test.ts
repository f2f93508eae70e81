import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importIncidents, incidentOfLabel, readIncidentFile, readSourceFile, showIncident } from '../../src/labels/index.js';
import { sharedPath } from '../helpers/sharedData.js';
import { craft, tempDb, tempDir } from './helpers.js';

const CURATED = fileURLToPath(new URL('../../src/labels/data/curated-incidents.yaml', import.meta.url));

describe('incidents', () => {
  it('victim and role from theft labels', () => {
    expect(incidentOfLabel('Ronin Bridge Exploiter 3')).toEqual({ victim: 'Ronin Bridge', role: 'exploiter 3' });
    expect(incidentOfLabel('Bitfinex hack')).toEqual({ victim: 'Bitfinex', role: 'hack' });
    expect(incidentOfLabel('Cream Finance Flash Loan Exploiter 2')).toEqual({ victim: 'Cream Finance', role: 'flash loan exploiter 2' });
    expect(incidentOfLabel('Popsicle Swap Hacker (Contract Deployer)')).toEqual({ victim: 'Popsicle Swap', role: 'hacker (contract deployer)' });
  });

  it('Ronin Bridge from three sources: Forta/Etherscan labels, GraphSense TagPack, curated facts with the FBI attribution', async () => {
    const { db } = await tempDb();
    await importIncidents(db, sharedPath('incidents'));
    await importIncidents(db, sharedPath('labels', 'graphsense-tagpacks', 'packs', 'ronin_bridge.yaml'));
    await importIncidents(db, CURATED);
    const [r] = await showIncident(db, 'Ronin Bridge');
    expect(r?.incidentId).toBe('roninbridge');
    expect(r?.facts.map((f) => f.source.kind)).toEqual(['incidents', 'incidents', 'incidents']);
    const curated = r?.facts.find((f) => f.date !== null);
    expect(curated).toMatchObject({ date: '2022-03-23', amount: 173600, amountUnit: 'ETH', actorId: 'lazarusgroup', attributionConfidence: 'authority_data' });
    expect(r?.refs.map((x) => x.url)).toContain('https://www.fbi.gov/news/press-releases/fbi-statement-on-attribution-of-malicious-cyber-activity-posed-by-the-democratic-peoples-republic-of-korea');
    const exploiter = r?.addresses.filter((a) => a.address === '0x098b716b8aaf21512996dc57eb0615e2383e2f96') ?? [];
    // The original exploiter address is in the GraphSense TagPack and the curated file (Etherscan's list has exploiters 2-9).
    expect(exploiter.map((a) => a.source).sort()).toEqual([CURATED, sharedPath('labels', 'graphsense-tagpacks', 'packs', 'ronin_bridge.yaml')].sort());
    const [b] = await showIncident(db, 'Bitfinex');
    expect(b?.facts.some((f) => f.date === '2016-08-02' && f.amount === 119754)).toBe(true);
    expect(b?.addresses.length).toBe(99);
    db.close();
  });

  it('crafted bad incident files: unknown header, bad date, bad confidence, bad address, bad txid (file, line, field)', () => {
    const dir = tempDir();
    const read = (name: string, text: string) => readIncidentFile(readSourceFile(craft(dir, name, text)));
    expect(() => read('x.csv', 'a,b,c\n1,2,3\n')).toThrow(/x\.csv:1 header: unknown incident CSV header/);
    const b = read(
      'bad.yaml',
      [
        'incidents:',
        '  - name: A',
        '    date: 23/03/2022',
        '  - name: B',
        '    actor: Someone',
        '    attribution_confidence: sure',
        '  - name: C',
        '    chain: ETH',
        '    addresses:',
        '      - address: "0x098B716B8Aaf21512996dC57EB0615e2383E2f97"',
        '  - name: D',
        '    txs:',
        '      - txid: nothex',
        '',
      ].join('\n'),
    );
    expect(b.problems.map((p) => [p.line, p.field])).toEqual([
      [3, 'incidents[0].date'],
      [6, 'incidents[1].attribution_confidence'],
      [9, 'incidents[2].addresses[0].address'],
      [12, 'incidents[3].txs[0].txid'],
    ]);
    expect(b.incidents).toEqual([]);
  });
});
