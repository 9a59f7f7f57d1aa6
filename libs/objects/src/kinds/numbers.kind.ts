import { textKind } from './text.kind';

/** Dialed number: optional '+', a digit, then digits, '.' or '-'; keys compare without '.'/'-' (§1.7). */
export const dialedNumber = textKind({
  maxLength: 20,
  type: 'string',
  format: 'dialed number',
  check: (text) =>
    /^\+?[0-9][0-9.-]*$/.test(text)
      ? null
      : "is not a dialed number; write an optional '+', then digits, '.' or '-'",
  norm: (text) => text.replace(/[.-]/g, '').toLowerCase(),
});

/** Phone number of an address-book entry: digits, '(', ')', '+', '-' (§1.7). */
export const phoneNumber = textKind({
  maxLength: 40,
  format: 'phone number',
  check: (text) =>
    /^[0-9()+-]+$/.test(text) ? null : "is not a phone number; use digits, '(', ')', '+' and '-'",
});

/** ANI number: optional '+' and 2–20 digits, or a sip:/sips: URI (§1.7). */
export const aniNumber = textKind({
  maxLength: 255,
  format: 'ANI number',
  check: (text) =>
    /^\+?[0-9]{2,20}$/.test(text) || /^sips?:[^\s|]+$/i.test(text)
      ? null
      : "is not an ANI number; write '+' and 2-20 digits, or a sip: URI",
});

/** Agent DN: optional '+' and 2–20 digits (§1.7). */
export const agentDn = textKind({
  maxLength: 21,
  format: 'agent DN',
  check: (text) =>
    /^\+?[0-9]{2,20}$/.test(text) ? null : "is not a DN; write an optional '+' and 2-20 digits",
});
