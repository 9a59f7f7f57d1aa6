import { enumeration } from './enumeration.kind';

/** The channel of an entry point or queue (objects.md §7, §9); `SOCIAL CHANNEL` reads as SOCIAL_CHANNEL (§1.4). */
export const channelType = enumeration(['TELEPHONY', 'CHAT', 'EMAIL', 'SOCIAL_CHANNEL']);

/**
 * The social channel of a SOCIAL_CHANNEL entry point or queue, with the names Webex Connect and
 * older exports use for the same channels accepted as aliases (objects.md §7).
 */
export const socialChannelType = enumeration(
  ['SMS', 'MESSENGER', 'WHATSAPP', 'APPLE_BUSINESS_CHAT', 'GOOGLE_BUSINESS_MESSAGES'],
  {
    MESSAGEBIRD: 'SMS',
    'FACEBOOK MESSENGER': 'MESSENGER',
    'APPLE MESSAGES FOR BUSINESS': 'APPLE_BUSINESS_CHAT',
  },
);
