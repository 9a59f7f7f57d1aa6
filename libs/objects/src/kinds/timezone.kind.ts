import { ErrorCode } from '@bulkops/contracts';
import { ok, problem, quote } from '../row-problem';
import type { ColumnKind } from './kind';

// ICU's list spells a few zones by their older names (Asia/Calcutta); IANA's canonical names for
// those are accepted too, as long as the runtime knows them and they sit in a geographic area.
const KNOWN = new Map(Intl.supportedValuesOf('timeZone').map((zone) => [zone.toLowerCase(), zone]));
KNOWN.set('utc', 'UTC');
const AREAS = new Set([
  'africa',
  'america',
  'antarctica',
  'arctic',
  'asia',
  'atlantic',
  'australia',
  'europe',
  'indian',
  'pacific',
]);

function canonicalZone(text: string): string | null {
  const known = KNOWN.get(text.toLowerCase());
  if (known) return known;
  const area = text.split('/')[0]?.toLowerCase() ?? '';
  if (!AREAS.has(area) || !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+){1,2}$/.test(text)) return null;
  try {
    new Intl.DateTimeFormat('en', { timeZone: text });
    return text;
  } catch {
    return null;
  }
}

/** A canonical IANA time zone name such as America/New_York (objects.md §1.4). */
export const timezone: ColumnKind<string> = {
  meta: { type: 'timezone', format: 'IANA time zone' },
  pgType: 'text',
  parse(text, column) {
    const zone = canonicalZone(text);
    return zone
      ? ok(zone)
      : problem(
          ErrorCode.InvalidValue,
          column,
          `${quote(text)} is not an IANA time zone; write a name such as America/New_York or Europe/Berlin`,
        );
  },
  format: (stored) => stored,
  norm: (value) => value.toLowerCase(),
  fromDb: (db) => db as string,
};
