import { isEmail } from 'class-validator';
import { ErrorCode } from '@bulkops/contracts';
import { ok, problem, quote, type Outcome } from '../row-problem';
import type { ColumnKind } from './kind';

/** A plain text kind: optional length limit and a rule that returns a complaint or null. */
export interface TextRule {
  maxLength: number;
  minLength?: number;
  /** Returns what is wrong with the text (after "'value' "), or null when it is fine. */
  check?: (text: string) => string | null;
  type?: string;
  format?: string;
  /** How the value joins a key; default: lower case. */
  norm?: (text: string) => string;
}

/** Builds a text kind from a rule. Every other text-like kind is one of these. */
export function textKind(rule: TextRule): ColumnKind<string> {
  const minLength = rule.minLength ?? 1;
  return {
    meta: { type: rule.type ?? 'string', maxLength: rule.maxLength, format: rule.format },
    pgType: 'text',
    parse(text: string, column: string): Outcome<string> {
      if (text.length > rule.maxLength) {
        return problem(
          ErrorCode.InvalidValue,
          column,
          `${quote(text)} is ${text.length} characters long; the limit is ${rule.maxLength}`,
        );
      }
      if (text.length < minLength) {
        return problem(
          ErrorCode.InvalidValue,
          column,
          `${quote(text)} is shorter than ${minLength} characters`,
        );
      }
      const complaint = rule.check?.(text) ?? null;
      return complaint === null
        ? ok(text)
        : problem(ErrorCode.InvalidValue, column, `${quote(text)} ${complaint}`);
    },
    format: (stored) => stored,
    norm: rule.norm ?? ((value) => value.toLowerCase()),
    fromDb: (db) => db as string,
  };
}

/** A character that is not allowed, described for a message. */
function describeChar(ch: string): string {
  if (ch === ' ') return 'a space';
  const code = ch.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f
    ? `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`
    : `'${ch}'`;
}

// Printable: no C0/C1 control characters and no line breaks.
const NON_PRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

/** Free text of any printable Unicode, on one line. */
export function printable(maxLength: number, minLength = 1): ColumnKind<string> {
  return textKind({
    maxLength,
    minLength,
    check: (text) => {
      const bad = NON_PRINTABLE.exec(text);
      return bad ? `contains ${describeChar(bad[0])}; use printable characters on one line` : null;
    },
  });
}

/** Description: 0–255 printable characters, no line breaks (objects.md §1.4). */
export const description = printable(255);

/** A reference to something bulkops does not manage: stored as text, not validated (§1.5). */
export const externalName = textKind({
  maxLength: 80,
  check: (text) => (text.includes('|') ? "contains '|', which is not allowed" : null),
  format: 'external reference',
});

/**
 * The everyday shape of an address: dot-separated atoms of the characters an unquoted local part
 * may hold (at most 64), then host labels (letters, digits, inner hyphens, at most 63 each) and an
 * alphabetic top-level domain. Every address of this shape passes the full check below, so it
 * spares the full check's option merging and splitting for almost every row of a users file; any
 * other text still gets the full check, so what is accepted does not change.
 */
const PLAIN_EMAIL =
  /^(?=[^@]{1,64}@)[a-z\d!#$%&'*+\-/=?^_`{|}~]+(?:\.[a-z\d!#$%&'*+\-/=?^_`{|}~]+)*@(?:[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?\.)+[a-z]{2,63}$/i;

/** Whether the text is an email address as class-validator's `isEmail` (ASCII local part) decides. */
export function isEmailAddress(text: string): boolean {
  return (
    (text.length <= 254 && PLAIN_EMAIL.test(text)) ||
    isEmail(text, { allow_utf8_local_part: false, require_tld: true })
  );
}

/** An email address, the key of a user; compared case-insensitively. */
export const email = textKind({
  maxLength: 254,
  type: 'email',
  check: (text) =>
    isEmailAddress(text) ? null : 'is not an email address; write it as local@domain.tld',
});
