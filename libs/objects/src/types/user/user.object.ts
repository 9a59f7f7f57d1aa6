import {
  agentDn,
  anyOf,
  boolean,
  column,
  defineObject,
  email,
  emptyOrSameAs,
  externalName,
  printable,
  reference,
  referenceList,
  when,
} from '../declaration-kit';

const contactCenter = when('Contact Center Enabled').isTrue();

/**
 * User (objects.md §14): the contact-center settings of a person, keyed by email. With Contact
 * Center Enabled FALSE the user keeps only identity and user profile.
 */
export const user = defineObject({
  type: 'user',
  label: 'User',
  table: 'user',
  key: ['Email'],
  columns: [
    column('Email', email, {
      required: true,
      description:
        'Email address of the person (local@domain.tld), unique in the organization in any case.',
    }),
    column('First Name', printable(80), {
      description: 'Given name, up to 80 printable characters.',
    }),
    column('Last Name', printable(80), {
      description: 'Family name, up to 80 printable characters.',
    }),
    column('User Profile', reference('user-profile'), {
      required: true,
      description: 'The user profile that sets what the user may administer.',
    }),
    column('Contact Center Enabled', boolean, {
      default: true,
      description:
        'TRUE (default) makes the person a contact-center user; FALSE requires Site, Teams, Skill Profile, Agent Profile, Multimedia Profile and Default DN to be empty.',
    }),
    column('Site', reference('site'), {
      requiredWhen: anyOf(when('Teams').filled(), when('Agent Profile').filled()),
      onlyWhen: contactCenter,
      description: "The user's site; required when Teams or Agent Profile is set.",
    }),
    column(
      'Teams',
      referenceList('team', {
        within: 'Site',
        accept: (target) =>
          target.values['type'] === 'AGENT'
            ? null
            : `is a ${String(target.values['type'])} team; list only AGENT teams of the user's site`,
      }),
      {
        onlyWhen: contactCenter,
        description:
          "Names of AGENT teams of the user's site, separated by '|' (bare names, without the site).",
      },
    ),
    column('Skill Profile', reference('skill-profile'), {
      onlyWhen: contactCenter,
      description: "Skill profile of the user; overrides the team's.",
    }),
    column(
      'Agent Profile',
      reference('agent-profile', emptyOrSameAs('parentSite', 'Site', 'site')),
      {
        requiredWhen: when('Site').filled(),
        onlyWhen: contactCenter,
        aliases: ['Desktop Profile'],
        description:
          "The user's agent (desktop) profile; required when Site is set. Its Parent Site must be empty or the user's Site.",
      },
    ),
    column('Multimedia Profile', externalName, {
      onlyWhen: contactCenter,
      description:
        "Multimedia profile of the user (managed outside bulkops); overrides the team's.",
    }),
    column('External Id', printable(80), {
      description: 'An identifier from another system, e.g. an employee number.',
    }),
    column('Default DN', agentDn, {
      onlyWhen: contactCenter,
      description:
        "The number the agent's calls reach by default: an optional '+' and 2-20 digits.",
    }),
  ],
});

/** The user declaration's type, which hooks name users and their columns by. */
export type User = typeof user;
