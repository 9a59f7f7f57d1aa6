import {
  channelType,
  column,
  defineObject,
  description,
  externalName,
  integer,
  name,
  NameSets,
  reference,
  socialChannelType,
  timezone,
  when,
} from '../declaration-kit';

const socialChannel = when('Channel Type').is('SOCIAL_CHANNEL');
const digitalChannel = when('Channel Type').is('CHAT', 'EMAIL', 'SOCIAL_CHANNEL');

/** Entry Point (objects.md §7): where inbound contacts of one channel arrive. */
export const entryPoint = defineObject({
  type: 'entry-point',
  label: 'Entry Point',
  table: 'entry_point',
  key: ['Name'],
  columns: [
    column('Name', name(NameSets.entryPoint), {
      required: true,
      description: 'Entry point name, unique among entry points; starts with a letter.',
    }),
    column('Description', description, { description: 'Free text, up to 255 characters.' }),
    column('Service Level Threshold', integer(0, 604_800, 'seconds'), {
      required: true,
      description: 'Seconds within which contacts should be handled, 0-604800.',
    }),
    column('Timezone', timezone, {
      required: true,
      description: 'IANA time zone routing uses for this entry point, e.g. America/New_York.',
    }),
    column('Channel Type', channelType, {
      required: true,
      immutable: true,
      description: 'TELEPHONY, CHAT, EMAIL or SOCIAL_CHANNEL; fixed once created.',
    }),
    column('Social Channel Type', socialChannelType, {
      requiredWhen: socialChannel,
      onlyWhen: socialChannel,
      description:
        'SMS, MESSENGER, WHATSAPP, APPLE_BUSINESS_CHAT or GOOGLE_BUSINESS_MESSAGES; SOCIAL_CHANNEL entry points only.',
    }),
    column('Asset Name', externalName, {
      requiredWhen: digitalChannel,
      onlyWhen: digitalChannel,
      description:
        'Webex Connect asset of a CHAT, EMAIL or SOCIAL_CHANNEL entry point (managed outside bulkops); empty for TELEPHONY.',
    }),
    column('Flow', externalName, {
      description: 'Name of the routing flow (managed outside bulkops).',
    }),
    column('Music On Hold', reference('audio-file'), {
      onlyWhen: when('Channel Type').is('TELEPHONY'),
      description: 'Audio file played to callers on hold; TELEPHONY entry points only.',
    }),
  ],
});
