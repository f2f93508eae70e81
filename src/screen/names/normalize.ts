import anyAscii from 'any-ascii';
import { pinyin } from 'pinyin-pro';
import { UsageError } from '../../core/index.js';
import { hasHangul, koreanNameReadings, SYSTEM_NAMES } from './hangul.js';

/**
 * Name normalisation for screening: Unicode NFKC, case folding, diacritics, punctuation and
 * spacing (camel case split), honorifics, legal forms, number words, duplicated parts, and
 * transliteration of non-Latin scripts into one or more Latin "forms" that are matched in turn.
 */

/** What the caller says the name is; `any` compares with everything. */
export type NameType = 'person' | 'organization' | 'vessel' | 'any';
export const NAME_TYPES: readonly NameType[] = ['person', 'organization', 'vessel', 'any'];

/** Longest accepted name (characters after NFKC); longer input is a UsageError, never slow. */
export const MAX_NAME_LENGTH = 300;

/** Role of a token: only `word`, `number` and `initial` tokens can carry a hit on their own. */
export type TokenKind = 'word' | 'initial' | 'number' | 'legal' | 'generic' | 'particle' | 'patronymic';

export interface NameToken {
  /** Token as normalised (lower-case ASCII), e.g. "chong". */
  text: string;
  /** Phonetic fold used for comparison and indexing, e.g. "jong". */
  fold: string;
  kind: TokenKind;
}

/** One Latin reading of a name: as written, or a transliteration (Hangul → RR, Cyrillic → Latin …). */
export interface NameForm {
  tokens: NameToken[];
  /** How this form was obtained, e.g. "as written", "Hangul → McCune–Reischauer". */
  via: string;
  /** Source script of the form: Arabic script readings have no vowels and compare by consonants. */
  script: Script;
  /** Fold of each pair of neighbours written together (tokens[i] + tokens[i+1]), for "jong un" ↔ "jongun". */
  merged: string[];
}

export type Script = 'latin' | 'hangul' | 'han' | 'cyrillic' | 'arabic' | 'greek' | 'other';

export interface PreparedName {
  /** The input as given. */
  input: string;
  forms: NameForm[];
  /** Hangul words, surname split off (for Hangul-to-Hangul comparison), when the input is Hangul. */
  hangulWords: string[] | null;
  /** Normalisation steps that changed something, for the explanation. */
  steps: string[];
}

// --- vocabularies -------------------------------------------------------------------------

/** Legal forms → canonical class (AG = Aktiengesellschaft, LLC = OOO = TOV, Ltd = Limited, JSC = AO = OJSC …). */
const LEGAL_PHRASES: [RegExp, string][] = [
  [/\blimited liability (?:company|partnership|co)\b/g, 'llc'],
  // Russian/Ukrainian forms as OFAC transliterates them (spellings vary: -oi/-oy, -iu/-yu)
  [/\bobshchestvo s ogranichenn\w* otvetstvennost\w*/g, 'llc'],
  [/\btovarystvo z obmezhen\w* vidpovidaln\w*/g, 'llc'],
  [/\b(?:(?:otkryt|zakryt|publichn|nepublichn)\w* )?aktsionern\w* obshchestv\w*/g, 'jsc'],
  [/\b(?:(?:open|closed|public|private|non public) )?joint[ -]stock(?: company)?\b/g, 'jsc'],
  [/\bgesellschaft mit beschrankter haftung\b/g, 'gmbh'],
  [/\bsociedad anonima\b|\bsociete anonyme\b|\bsociedade anonima\b/g, 'sa'],
  [/\banonim sirketi\b/g, 'as'],
  [/\bpublic limited company\b/g, 'plc'],
  [/\bprivate limited\b/g, 'pvt ltd'],
];
const LEGAL_TOKENS: Record<string, string> = {
  limited: 'ltd', ltd: 'ltd', llc: 'llc', ooo: 'llc', tov: 'llc', too: 'llc', ao: 'jsc', oao: 'jsc', zao: 'jsc', pao: 'jsc',
  jsc: 'jsc', ojsc: 'jsc', cjsc: 'jsc', pjsc: 'jsc', aktiengesellschaft: 'ag', ag: 'ag', corporation: 'corp', corp: 'corp',
  company: 'co', co: 'co', incorporated: 'inc', inc: 'inc', gmbh: 'gmbh', sa: 'sa', sarl: 'sarl', sas: 'sas', srl: 'srl', spa: 'spa',
  bv: 'bv', nv: 'nv', plc: 'plc', llp: 'llp', lp: 'lp', pte: 'pte', pvt: 'pvt', bhd: 'bhd', sdn: 'sdn', kg: 'kg', cv: 'cv',
  as: 'as', de: 'de', fze: 'fze', fzco: 'fzco', fzc: 'fzc', fzllc: 'llc', dmcc: 'dmcc', ooo_: 'llc',
};
/** "de" is a legal token only right after sa ("S.A. de C.V."); elsewhere a particle. */
const LEGAL_ONLY_AFTER: Record<string, string> = { de: 'sa' };

/** Words too common in organisation names to identify one (they never make a hit alone). */
const GENERIC = new Set([
  'trading', 'trade', 'traders', 'international', 'intl', 'group', 'groups', 'holding', 'holdings', 'enterprise', 'enterprises',
  'industrial', 'industries', 'industry', 'services', 'service', 'general', 'global', 'import', 'export', 'imports', 'exports',
  'investment', 'investments', 'development', 'commercial', 'commerce', 'corporate', 'business', 'partners', 'associates',
  'solutions', 'logistics', 'shipping', 'management', 'consulting', 'technology', 'technologies', 'systems', 'products', 'resources',
  'national', 'foreign', 'joint', 'venture', 'agency', 'office', 'center', 'centre', 'bureau', 'firm', 'establishment', 'network',
  'organization', 'organisation', 'association', 'foundation', 'trust', 'fund', 'bank', 'company', 'societe', 'sociedad',
  'compania', 'comercial', 'empresa', 'internacional', 'handel', 'gesellschaft', 'overseas', 'world', 'worldwide', 'union',
]);
/** Name particles: low weight, never a hit alone. */
const PARTICLES = new Set(['the', 'of', 'and', 'for', 'de', 'del', 'della', 'la', 'le', 'les', 'al', 'el', 'ul', 'bin', 'ibn', 'bint', 'ben', 'von', 'van', 'der', 'den', 'y', 'e', 'da', 'do', 'dos', 'das', 'di', 'du', 'abu', 'umm']);
/** Honorifics and titles removed from person names (kept when nothing else would remain). */
const HONORIFICS = new Set([
  'mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'professor', 'sir', 'dame', 'lord', 'lady', 'sheikh', 'shaykh', 'sheik', 'shaikh',
  'haji', 'hajji', 'hadji', 'mullah', 'mulla', 'maulana', 'mawlana', 'maulvi', 'mawlawi', 'imam', 'sayyid', 'sayed', 'general', 'gen',
  'colonel', 'col', 'major', 'maj', 'captain', 'capt', 'lt', 'lieutenant', 'admiral', 'adm', 'sgt', 'sergeant', 'excellency', 'his',
  'her', 'jr', 'sr', 'junior', 'senior', 'esq', 'phd', 'md', 'rev', 'reverend', 'father', 'brother', 'hon', 'honorable', 'honourable',
  'president', 'minister', 'marshal', 'comrade', 'ayatollah', 'hojatoleslam',
]);
const NUMBER_WORDS: Record<string, string> = {
  zero: '0', one: '1', first: '1', '1st': '1', two: '2', second: '2', '2nd': '2', three: '3', third: '3', '3rd': '3', four: '4',
  fourth: '4', '4th': '4', five: '5', fifth: '5', '5th': '5', six: '6', sixth: '6', '6th': '6', seven: '7', seventh: '7', '7th': '7',
  eight: '8', eighth: '8', '8th': '8', nine: '9', ninth: '9', '9th': '9', ten: '10', tenth: '10', '10th': '10', eleven: '11',
  twelve: '12', thirteen: '13', fourteen: '14', fifteen: '15', sixteen: '16', seventeen: '17', eighteen: '18', nineteen: '19',
  twenty: '20', thirty: '30', forty: '40', fifty: '50', hundred: '100', thousand: '1000',
};

/** Roman numerals after the first word ("BICENTENARIO VI", "NEW YORK II CORP") → digits. */
const ROMAN: Record<string, string> = { ii: '2', iii: '3', iv: '4', v: '5', vi: '6', vii: '7', viii: '8', ix: '9', x: '10', xi: '11', xii: '12' };

/**
 * Korean surname spellings that no letter rule joins (passport/press forms vs DPRK/MR):
 * Park/Pak/Bak, Lee/Yi/Rhee/Li/Ri, Ryu/Yoo/Yu, Ahn/An, Roh/Noh/Ro/No, Lim/Rim/Im, Suh/So, Gim/Kim.
 */
const KOREAN_SURNAMES: Record<string, string> = {
  park: 'pak', bak: 'pak', lee: 'ri', yi: 'ri', rhee: 'ri', li: 'ri', ryu: 'yu', yoo: 'yu', ahn: 'an', noh: 'no', roh: 'no', ro: 'no',
  lim: 'im', rim: 'im', suh: 'so', gim: 'kim',
};

// --- folding ---------------------------------------------------------------------------------

/**
 * Phonetic fold of one lower-case ASCII token, so that romanisation variants meet:
 * ch/j/tch/dzh/zh → j, kh/gh/ph/th/dh → k/g/p/t/d, sh/sch → s, x → ks, c/q/ck → k, w → v, y → i,
 * eo → o, eu → u, oo/ou → u, ee → i, final vowel+h → vowel, doubled letters → one.
 */
export function foldToken(t: string): string {
  const hit = foldMemo.get(t);
  if (hit !== undefined) return hit;
  const f = foldUncached(t);
  if (foldMemo.size >= FOLD_MEMO_MAX) foldMemo.clear();
  foldMemo.set(t, f);
  return f;
}
/** Folds are memoised (names repeat their parts): bounded, cleared when full. */
const foldMemo = new Map<string, string>();
const FOLD_MEMO_MAX = 200_000;

function foldUncached(t: string): string {
  let s = t.replace(/[^a-z0-9]/g, '');
  if (/^\d+$/.test(s)) return s;
  s = KOREAN_SURNAMES[s] ?? s;
  s = s
    .replace(/x/g, 'ks')
    .replace(/sch/g, 's')
    .replace(/tch|dzh|dj|zh|ch/g, 'j')
    .replace(/sh/g, 's')
    .replace(/kh/g, 'k')
    .replace(/gh/g, 'g')
    .replace(/ph/g, 'p')
    .replace(/th/g, 't')
    .replace(/dh/g, 'd')
    .replace(/ck|q|c/g, 'k')
    .replace(/w/g, 'v')
    .replace(/y/g, 'i')
    .replace(/eo/g, 'o')
    .replace(/eu/g, 'u')
    .replace(/oo|ou/g, 'u')
    .replace(/ee/g, 'i')
    .replace(/([aeiou])h$/, '$1')
    .replace(/oi$/, 'oe')
    .replace(/(.)\1+/g, '$1');
  return s;
}

// --- validation and tokenising ------------------------------------------------------------------

/**
 * Rejects what cannot be a name: not a string, empty, longer than {@link MAX_NAME_LENGTH}, or with
 * control characters (tab/newline count as spaces).
 * @throws UsageError naming the problem and its position
 */
export function validateName(input: unknown, field = 'name'): string {
  if (typeof input !== 'string') throw new UsageError(`${field}: expected a string, got ${input === null ? 'null' : typeof input}`, { field });
  const s = input.normalize('NFKC').replace(/[\t\n\r]+/g, ' ');
  if (s.length > MAX_NAME_LENGTH) {
    throw new UsageError(`${field}: name is ${s.length} characters long, the limit is ${MAX_NAME_LENGTH}`, { field, length: s.length });
  }
  const m = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u.exec(s);
  if (m) {
    const cp = (m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    if (!/[\u200b-\u200d\ufeff]/.test(m[0])) {
      throw new UsageError(`${field}: control or unassigned character U+${cp} at position ${m.index}`, { field, position: m.index, codePoint: `U+${cp}` });
    }
  }
  const cleaned = s.replace(/[\u200b-\u200d\ufeff]/g, '');
  if (!/[\p{L}\p{N}]/u.test(cleaned)) throw new UsageError(`${field}: empty name (no letters or digits)`, { field });
  return cleaned;
}

function detectScript(s: string): Script {
  if (hasHangul(s)) return 'hangul';
  if (/\p{Script=Han}/u.test(s)) return 'han';
  if (/\p{Script=Arabic}/u.test(s)) return 'arabic';
  if (/\p{Script=Cyrillic}/u.test(s)) return 'cyrillic';
  if (/\p{Script=Greek}/u.test(s)) return 'greek';
  if (/[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u.test(s)) return 'other';
  return 'latin';
}

/** Splits "SergeiLavrov" → "Sergei Lavrov" (lower→upper boundaries), keeps "McDONALD" intact enough. */
function splitCamel(s: string): string {
  return s.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2');
}

/** Lower-case ASCII text with punctuation turned into spaces; apostrophes are dropped (Ch'oe → choe). */
function toAsciiWords(s: string): string {
  let t = anyAscii(s).toLowerCase();
  t = t.replace(/['’`ʼ‘ʻ´]/g, '');
  // dotted abbreviations: s.a. → sa, u.s.a → usa (letters separated by single dots)
  t = t.replace(/\b([a-z])\.(?=[a-z]\b\.?)/g, '$1');
  t = t.replace(/&/g, ' and ');
  t = t.replace(/[^a-z0-9]+/g, ' ').trim();
  return t;
}

/**
 * Tokens of an ASCII word string, with legal forms, number words, honorifics, particles and
 * duplicated parts handled. `steps` receives a note for each change.
 */
export function tokenize(words: string, type: NameType, steps: string[]): NameToken[] {
  let t = ` ${words} `;
  for (const [re, canon] of LEGAL_PHRASES) {
    const before = t;
    t = t.replace(re, canon);
    if (t !== before) steps.push(`legal form → ${canon}`);
  }
  let raw = t.trim().split(/\s+/).filter((x) => x !== '');
  if (type !== 'organization' && type !== 'vessel') {
    const kept = raw.filter((x) => !HONORIFICS.has(x));
    if (kept.length > 0 && kept.length < raw.length) {
      steps.push(`honorific/title removed: ${raw.filter((x) => HONORIFICS.has(x)).join(', ')}`);
      raw = kept;
    }
  }
  const tokens: NameToken[] = [];
  raw.forEach((w, i) => {
    const prev = raw[i - 1];
    const num = NUMBER_WORDS[w];
    if (num !== undefined) {
      if (num !== w) steps.push(`number word ${w} → ${num}`);
      tokens.push({ text: num, fold: num, kind: 'number' });
      return;
    }
    const roman = ROMAN[w];
    if (roman !== undefined && raw.length > 1 && i > 0) {
      steps.push(`roman numeral ${w} → ${roman}`);
      tokens.push({ text: roman, fold: roman, kind: 'number' });
      return;
    }
    if (/^\d+$/.test(w)) {
      tokens.push({ text: w, fold: w, kind: 'number' });
      return;
    }
    const legal = LEGAL_TOKENS[w];
    const needPrev = LEGAL_ONLY_AFTER[w];
    if (legal !== undefined && (needPrev === undefined || prev === needPrev) && (raw.length > 1 || type === 'organization')) {
      if (legal !== w) steps.push(`legal form ${w} → ${legal}`);
      tokens.push({ text: legal, fold: legal, kind: 'legal' });
      return;
    }
    if (PARTICLES.has(w)) {
      tokens.push({ text: w, fold: w === 'el' || w === 'ul' ? 'al' : w, kind: 'particle' });
      return;
    }
    if (GENERIC.has(w)) {
      tokens.push({ text: w, fold: foldToken(w), kind: 'generic' });
      return;
    }
    if (type !== 'organization' && type !== 'vessel' && raw.length >= 3 && /(?:ovich|evich|ovna|evna|ovych|ivna|ogly|oglu|kyzy)$/.test(w)) {
      tokens.push({ text: w, fold: foldToken(w), kind: 'patronymic' });
      return;
    }
    if (w.length === 1) {
      tokens.push({ text: w, fold: w, kind: 'initial' });
      return;
    }
    tokens.push({ text: w, fold: foldToken(w), kind: 'word' });
  });
  // duplicated parts ("Ali Ali Hassan") are kept: the scorer does not charge a repeated part
  const seen = new Set<string>();
  for (const tok of tokens) {
    if (seen.has(tok.fold) && tok.kind === 'word') steps.push(`duplicated part not charged: ${tok.text}`);
    seen.add(tok.fold);
  }
  return tokens;
}

/**
 * Prepares a name for matching: validates it, normalises it and builds its Latin forms
 * (as written; for Hangul the RR, MR with and without breves and DPRK readings; for Han the
 * pinyin; for other scripts any-ascii's transliteration).
 *
 * @throws UsageError for empty, over-long or control-character input
 */
export function prepareName(input: string, type: NameType = 'any'): PreparedName {
  const s = validateName(input);
  const steps: string[] = [];
  const nfkc = s;
  if (input !== nfkc) steps.push('Unicode NFKC');
  const camel = splitCamel(nfkc);
  if (camel !== nfkc) steps.push('camel case split');
  const script = detectScript(camel);
  const forms: NameForm[] = [];
  let hangulWords: string[] | null = null;
  const addForm = (words: string, via: string, formScript: Script, formSteps: string[]) => {
    const tokens = tokenize(words, type, formSteps);
    if (tokens.length === 0) return;
    const key = tokens.map((t) => t.fold).join(' ');
    if (forms.some((f) => f.tokens.map((t) => t.fold).join(' ') === key)) return;
    const merged: string[] = [];
    for (let i = 0; i + 1 < tokens.length; i++) merged.push(foldToken((tokens[i] as NameToken).text + (tokens[i + 1] as NameToken).text));
    forms.push({ tokens, via, script: formScript, merged });
  };
  if (script === 'hangul') {
    const hangulOnly = camel.replace(/[^\uac00-\ud7a3\s]/g, ' ').trim();
    const readings = koreanNameReadings(hangulOnly);
    hangulWords = (readings.length > 0 ? hangulOnly : camel).split(/\s+/).filter((w) => w !== '');
    if (hangulWords.length === 1 && [...(hangulWords[0] as string)].length >= 2) {
      const chars = [...(hangulWords[0] as string)];
      hangulWords = [chars[0] as string, chars.slice(1).join('')];
    }
    for (const r of readings) {
      addForm(toAsciiWords(r.text), `Hangul → ${SYSTEM_NAMES[r.system]}${r.conventionalSurname ? ' (conventional surname spelling)' : ''}`, 'hangul', []);
    }
    steps.push('Hangul romanised (RR, McCune–Reischauer, DPRK)');
  } else if (script === 'han') {
    const chars = [...camel.replace(/\s+/g, '')].filter((c) => /\p{Script=Han}/u.test(c));
    const py = pinyin(chars.join(''), { toneType: 'none', type: 'array' }) as string[];
    if (py.length >= 2 && py.length <= 4) addForm(`${py[0]} ${py.slice(1).join('')}`, 'Han → pinyin (surname + given name)', 'han', []);
    addForm(py.join(' '), 'Han → pinyin (per syllable)', 'han', []);
    steps.push('Han characters → pinyin (pinyin-pro)');
  }
  const viaAscii = script === 'latin' ? 'as written' : `${script} → Latin (any-ascii)`;
  const formSteps: string[] = [];
  const ascii = toAsciiWords(camel);
  if (script === 'latin' && ascii !== camel.toLowerCase()) formSteps.push('case folding, diacritics and punctuation');
  addForm(ascii, viaAscii, script, formSteps);
  steps.push(...formSteps);
  if (forms.length === 0) throw new UsageError(`name: nothing left to match in ${JSON.stringify(input.slice(0, 60))} after normalisation`, {});
  return { input, forms, hangulWords, steps: [...new Set(steps)] };
}
