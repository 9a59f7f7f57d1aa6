import { column, defineObject, dialedNumber, enumeration, reference } from '../declaration-kit';

/**
 * DN to EP Mapping (objects.md §18): routes a dialed number to an inbound telephony entry point.
 * The key compares numbers with '.' and '-' removed, so `+1.512.555.0100` and `+1-512-555-0100` are one.
 */
export const dnMapping = defineObject({
  type: 'dn-mapping',
  label: 'DN to EP Mapping',
  table: 'dn_mapping',
  key: ['Dialed Number'],
  columns: [
    column('Dialed Number', dialedNumber, {
      required: true,
      description:
        "The number callers dial: an optional '+', then digits, '.' or '-'; E.164 with '+' recommended.",
    }),
    column(
      'Entry Point',
      reference('entry-point', {
        accept: (target) =>
          target.values['channelType'] === 'TELEPHONY'
            ? null
            : `is a ${String(target.values['channelType'])} entry point; map dialed numbers to TELEPHONY entry points only`,
      }),
      { required: true, description: 'The TELEPHONY entry point the number routes to.' },
    ),
    column('Region', enumeration(['US', 'CA', 'MX', 'AU', 'SG', 'GB', 'DE']), {
      description: 'Telephony region of the number: US, CA, MX, AU, SG, GB or DE.',
    }),
  ],
});
