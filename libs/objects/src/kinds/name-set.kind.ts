import type { ColumnKind } from './kind';
import { textKind } from './text.kind';

/** A character set for names (objects.md §1.6). All names are ASCII, 1–80 characters. */
export interface NameSet {
  id: string;
  /** Characters allowed besides letters and digits. */
  extra: string;
  /** What the first character must be. */
  first: 'letter' | 'letter-or-digit';
  /** A required ending, e.g. '.wav' for audio file names. */
  suffix?: string;
}

const SPACE = ' ';
const BASIC = `${SPACE}_-.`;

/** The name sets of objects.md §1.6. */
export const NameSets = {
  basic: { id: 'N-BASIC', extra: BASIC, first: 'letter-or-digit' },
  site: { id: 'N-SITE', extra: `${SPACE}_-`, first: 'letter-or-digit' },
  entryPoint: { id: 'N-EP', extra: `${SPACE}_-&`, first: 'letter' },
  queue: { id: 'N-QUEUE', extra: BASIC, first: 'letter' },
  skillDefinition: { id: 'N-SKILL', extra: `${BASIC},@`, first: 'letter' },
  skillProfile: { id: 'N-SKILL', extra: `${BASIC},@`, first: 'letter-or-digit' },
  auxiliaryCode: { id: 'N-AUX', extra: `${BASIC}()/`, first: 'letter-or-digit' },
  team: { id: 'N-TEAM', extra: `${BASIC}()&`, first: 'letter-or-digit' },
  agentProfile: { id: 'N-PROFILE', extra: `${BASIC}()`, first: 'letter-or-digit' },
  userProfile: { id: 'N-USERPROF', extra: `${SPACE}_-,`, first: 'letter-or-digit' },
  audio: { id: 'N-AUDIO', extra: BASIC, first: 'letter-or-digit', suffix: '.wav' },
} as const satisfies Record<string, NameSet>;

function describeExtra(extra: string): string {
  const names = [...extra].map((ch) => (ch === ' ' ? 'spaces' : `'${ch}'`));
  return names.length > 1
    ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
    : names.join('');
}

/** Builds the rule sentence of a name set, e.g. "use letters, digits, spaces, '_', '-' and '.', starting with a letter". */
export function nameSetRule(set: NameSet): string {
  const start = set.first === 'letter' ? 'a letter' : 'a letter or digit';
  const ending = set.suffix ? ` and ending in '${set.suffix}'` : '';
  return `use letters, digits, ${describeExtra(set.extra)}, starting with ${start}${ending}`;
}

/** A name of the given set, 1–80 characters (§1.6). */
export function name(set: NameSet, maxLength = 80): ColumnKind<string> {
  const allowed = new Set([...set.extra]);
  const isAlnum = (ch: string) => /[A-Za-z0-9]/.test(ch);
  const rule = nameSetRule(set);
  return textKind({
    maxLength,
    format: set.id,
    check: (text) => {
      const first = text[0] ?? '';
      if (set.first === 'letter' ? !/[A-Za-z]/.test(first) : !isAlnum(first)) {
        return `must start with ${set.first === 'letter' ? 'a letter' : 'a letter or digit'}; ${rule}`;
      }
      for (const ch of text) {
        if (!isAlnum(ch) && !allowed.has(ch)) {
          const what =
            ch === ' '
              ? 'a space'
              : /[\u0000-\u001f\u007f]/.test(ch)
                ? 'a control character'
                : `'${ch}'`;
          return `contains ${what}, which is not allowed; ${rule}`;
        }
      }
      if (set.suffix && !text.toLowerCase().endsWith(set.suffix)) {
        return `must end in '${set.suffix}'; ${rule}`;
      }
      return null;
    },
  });
}
