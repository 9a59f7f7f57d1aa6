import { CreateTrackingTables1795626418451 } from './1795626418451-CreateTrackingTables';
import { CreateSiteSkillAndTeamTables1795626418452 } from './1795626418452-CreateSiteSkillAndTeamTables';
import { CreateAudioFileTable1795626418453 } from './1795626418453-CreateAudioFileTable';

/** Every migration, oldest first. Never edit one that has been merged; add a new one. */
export const MIGRATIONS = [
  CreateTrackingTables1795626418451,
  CreateSiteSkillAndTeamTables1795626418452,
  CreateAudioFileTable1795626418453,
];
