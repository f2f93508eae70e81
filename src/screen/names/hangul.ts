/**
 * Hangul syllable decomposition (Unicode §3.12 "Conjoining Jamo Behavior": S = 0xAC00 +
 * (L × 21 + V) × 28 + T) and the three romanisation systems in use for Korean names:
 *
 * - Revised Romanization (RR, South Korea 2000): ㄱ g, ㅈ j, ㅊ ch, ㅋ k, ㅓ eo, ㅡ eu.
 * - McCune–Reischauer (MR, 1939; used by OFAC and most Western sources for the DPRK):
 *   ㄱ k (g between voiced sounds), ㅈ ch (j), ㅊ ch', ㅋ k', ㅓ ŏ, ㅡ ŭ; also written without
 *   breves and apostrophes ("Chong-un").
 * - DPRK official system (Sahoe Kwahagwŏn 1992, revised 2002/2012): MR vowels with breves, but
 *   ㅈ j, ㅊ ch, ㅋ kh, ㅌ th, ㅍ ph, ㅉ jj.
 *
 * Names are romanised syllable by syllable (the DPRK and ALA-LC rule for names of Chinese-character
 * origin): no assimilation across syllables; non-initial lax stops of a given name may be voiced in
 * MR/DPRK (g, d, b, j) and both readings are produced.
 */

const S_BASE = 0xac00;
const S_LAST = 0xd7a3;

/** True for a precomposed Hangul syllable (U+AC00..U+D7A3). */
export function isHangulSyllable(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return c >= S_BASE && c <= S_LAST;
}

/** True when the text has at least one Hangul syllable. */
export function hasHangul(text: string): boolean {
  return /[\uac00-\ud7a3]/.test(text);
}

/** Indices (lead, vowel, tail) of a syllable; tail 0 = none. */
export function decomposeSyllable(ch: string): { l: number; v: number; t: number } | null {
  const c = (ch.codePointAt(0) ?? 0) - S_BASE;
  if (c < 0 || c > S_LAST - S_BASE) return null;
  return { l: Math.floor(c / 588), v: Math.floor((c % 588) / 28), t: c % 28 };
}

/** Compatibility jamo for display/comparison: leads, vowels, tails (index 0 of tails = none). */
export const LEAD_JAMO = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ';
export const VOWEL_JAMO = 'ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ';
export const TAIL_JAMO = ['', 'ㄱ', 'ㄲ', 'ㄳ', 'ㄴ', 'ㄵ', 'ㄶ', 'ㄷ', 'ㄹ', 'ㄺ', 'ㄻ', 'ㄼ', 'ㄽ', 'ㄾ', 'ㄿ', 'ㅀ', 'ㅁ', 'ㅂ', 'ㅄ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ'];

/** Jamo string of a Hangul text (non-Hangul characters kept): 김정은 → ㄱㅣㅁㅈㅓㅇㅇㅡㄴ. */
export function toJamo(text: string): string {
  let out = '';
  for (const ch of text) {
    const d = decomposeSyllable(ch);
    if (!d) {
      out += ch;
      continue;
    }
    out += (LEAD_JAMO[d.l] as string) + (VOWEL_JAMO[d.v] as string) + (TAIL_JAMO[d.t] as string);
  }
  return out;
}

export type KoreanSystem = 'rr' | 'mr' | 'mr-plain' | 'dprk';

/** Human names of the systems, used in explanations. */
export const SYSTEM_NAMES: Record<KoreanSystem, string> = {
  rr: 'Revised Romanization',
  mr: 'McCune–Reischauer',
  'mr-plain': 'McCune–Reischauer without breves/apostrophes',
  dprk: 'DPRK official romanisation',
};

// Leads in order ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ
const LEAD: Record<KoreanSystem, string[]> = {
  rr: ['g', 'kk', 'n', 'd', 'tt', 'r', 'm', 'b', 'pp', 's', 'ss', '', 'j', 'jj', 'ch', 'k', 't', 'p', 'h'],
  mr: ['k', 'kk', 'n', 't', 'tt', 'r', 'm', 'p', 'pp', 's', 'ss', '', 'ch', 'tch', 'ch’', 'k’', 't’', 'p’', 'h'],
  'mr-plain': ['k', 'kk', 'n', 't', 'tt', 'r', 'm', 'p', 'pp', 's', 'ss', '', 'ch', 'tch', 'ch', 'k', 't', 'p', 'h'],
  dprk: ['k', 'kk', 'n', 't', 'tt', 'r', 'm', 'p', 'pp', 's', 'ss', '', 'j', 'jj', 'ch', 'kh', 'th', 'ph', 'h'],
};
/** Voiced readings of ㄱ ㄷ ㅂ ㅈ inside a word (MR and DPRK "g, d, b" rule). */
const VOICED: Partial<Record<number, string>> = { 0: 'g', 3: 'd', 7: 'b', 12: 'j' };

// Vowels in order ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ
const VOWEL: Record<KoreanSystem, string[]> = {
  rr: ['a', 'ae', 'ya', 'yae', 'eo', 'e', 'yeo', 'ye', 'o', 'wa', 'wae', 'oe', 'yo', 'u', 'wo', 'we', 'wi', 'yu', 'eu', 'ui', 'i'],
  mr: ['a', 'ae', 'ya', 'yae', 'ŏ', 'e', 'yŏ', 'ye', 'o', 'wa', 'wae', 'oe', 'yo', 'u', 'wŏ', 'we', 'wi', 'yu', 'ŭ', 'ŭi', 'i'],
  'mr-plain': ['a', 'ae', 'ya', 'yae', 'o', 'e', 'yo', 'ye', 'o', 'wa', 'wae', 'oe', 'yo', 'u', 'wo', 'we', 'wi', 'yu', 'u', 'ui', 'i'],
  dprk: ['a', 'ae', 'ya', 'yae', 'ŏ', 'e', 'yŏ', 'ye', 'o', 'wa', 'wae', 'oe', 'yo', 'u', 'wŏ', 'we', 'wi', 'yu', 'ŭ', 'ŭi', 'i'],
};

// Tails (index 0 = none) ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ
const TAIL = ['', 'k', 'k', 'k', 'n', 'n', 'n', 't', 'l', 'k', 'm', 'l', 'l', 'l', 'p', 'l', 'm', 'p', 'p', 't', 't', 'ng', 't', 't', 'k', 't', 'p', 't'];

/** Common surname spellings that depart from the systems (passports, press), by syllable. */
const SURNAME_SPELLINGS: Record<string, string[]> = {
  김: ['kim'], 이: ['lee', 'yi', 'ri', 'rhee'], 리: ['ri', 'lee', 'yi'], 박: ['park', 'pak', 'bak'], 최: ['choi', 'choe'],
  정: ['jung', 'chung', 'jeong', 'jong', 'chong'], 강: ['kang'], 조: ['cho', 'jo'], 윤: ['yoon', 'yun'], 장: ['jang', 'chang'],
  임: ['lim', 'im', 'rim'], 림: ['rim', 'lim'], 한: ['han'], 오: ['oh', 'o'], 신: ['shin', 'sin'], 서: ['seo', 'suh', 'so'],
  권: ['kwon', 'kwun'], 황: ['hwang'], 안: ['ahn', 'an'], 송: ['song'], 류: ['ryu', 'yoo', 'yu'], 유: ['yu', 'yoo'],
  전: ['jeon', 'jun', 'chon', 'jon'], 홍: ['hong'], 고: ['ko', 'koh', 'go'], 문: ['moon', 'mun'], 양: ['yang'], 손: ['son', 'sohn'],
  배: ['bae', 'pae'], 백: ['baek', 'paek', 'paik'], 허: ['heo', 'hur', 'ho'], 남: ['nam'], 노: ['noh', 'roh', 'no'], 로: ['ro', 'roh'],
  하: ['ha'], 곽: ['kwak'], 성: ['sung', 'seong', 'song'], 차: ['cha'], 주: ['joo', 'ju', 'chu'], 우: ['woo', 'u'], 구: ['koo', 'ku'],
  민: ['min'], 나: ['na', 'ra'], 라: ['ra', 'na'], 방: ['bang', 'pang'], 현: ['hyun', 'hyon'], 편: ['pyon', 'pyeon'], 명: ['myong', 'myeong'],
  지: ['ji', 'chi'], 석: ['seok', 'sok'], 진: ['jin', 'chin'], 원: ['won'], 채: ['chae'], 탁: ['tak'], 태: ['tae', 'thae'], 길: ['kil', 'gil'],
  려: ['ryo', 'yeo'], 염: ['yom', 'yeom'], 량: ['ryang', 'yang'],
};
const COMPOUND_SURNAMES = new Set(['남궁', '황보', '제갈', '선우', '독고', '사공', '서문']);

function syllable(ch: string, system: KoreanSystem, voiced: boolean): string {
  const d = decomposeSyllable(ch);
  if (!d) return ch;
  const lead = voiced && VOICED[d.l] !== undefined && system !== 'rr' ? (VOICED[d.l] as string) : (LEAD[system][d.l] as string);
  return lead + (VOWEL[system][d.v] as string) + (TAIL[d.t] as string);
}

/**
 * Romanises one Hangul word syllable by syllable.
 *
 * @param word Hangul text (non-Hangul characters are kept)
 * @param system romanisation system
 * @param options.voiceMedial voice non-initial ㄱ ㄷ ㅂ ㅈ (MR/DPRK "g, d, b" rule)
 * @param options.hyphenate put a hyphen between syllables ("Chŏng-ŭn")
 * @example romaniseWord('정은', 'mr') // 'chŏngŭn'
 */
export function romaniseWord(word: string, system: KoreanSystem, options: { voiceMedial?: boolean; hyphenate?: boolean } = {}): string {
  const parts: string[] = [];
  let i = 0;
  for (const ch of word) {
    parts.push(syllable(ch, system, options.voiceMedial === true && i > 0));
    i++;
  }
  return parts.join(options.hyphenate ? '-' : '');
}

/** One romanised reading of a Korean personal name. */
export interface KoreanReading {
  system: KoreanSystem;
  /** Lower-case romanised name, surname first, given-name syllables hyphenated ("kim chŏng-ŭn"). */
  text: string;
  /** True when a conventional surname spelling (Lee, Park, Choi …) replaced the system's. */
  conventionalSurname: boolean;
}

/**
 * Readings of a Hangul personal name in the three systems (MR also without breves), surname
 * first. A 2–4 syllable word without spaces is split as surname + given name (compound surnames
 * like 남궁 are recognised); a text with spaces keeps its words.
 *
 * @example koreanNameReadings('김정은').map(r => r.text)
 * // ['gim jeong-eun', 'kim jeong-eun', 'kim chŏng-ŭn', 'kim chong-un', 'kim jŏng-ŭn', …]
 */
export function koreanNameReadings(name: string): KoreanReading[] {
  let words = name.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 1) {
    const w = words[0] as string;
    const chars = [...w];
    if (chars.length >= 2 && chars.length <= 4 && chars.every(isHangulSyllable)) {
      const sl = COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) && chars.length >= 3 ? 2 : 1;
      words = [chars.slice(0, sl).join(''), chars.slice(sl).join('')];
    }
  }
  const out: KoreanReading[] = [];
  const seen = new Set<string>();
  const add = (system: KoreanSystem, text: string, conventionalSurname: boolean) => {
    if (seen.has(text)) return;
    seen.add(text);
    out.push({ system, text, conventionalSurname });
  };
  const systems: KoreanSystem[] = ['rr', 'mr', 'mr-plain', 'dprk'];
  for (const system of systems) {
    for (const voice of system === 'rr' ? [false] : [false, true]) {
      // syllables of the given name hyphenated ("kim jeong-eun"): matched as parts, merged when written together
      const rom = words.map((w, i) => romaniseWord(w, system, { voiceMedial: voice, hyphenate: i > 0 }).toLowerCase());
      add(system, rom.join(' '), false);
      const surname = words[0] as string;
      if (words.length >= 2) {
        for (const sp of SURNAME_SPELLINGS[surname] ?? []) add(system, [sp, ...rom.slice(1)].join(' '), true);
      }
    }
  }
  return out;
}
