import { CreateTrackingTables1795626418451 } from './1795626418451-CreateTrackingTables';
import { CreateSiteSkillAndTeamTables1795626418452 } from './1795626418452-CreateSiteSkillAndTeamTables';
import { CreateAudioFileTable1795626418453 } from './1795626418453-CreateAudioFileTable';
import { AddRowErrorSource1795630000000 } from './1795630000000-AddRowErrorSource';
import { AddAudioFileContent1795630000001 } from './1795630000001-AddAudioFileContent';
import { CreateWorkTypeAndAuxiliaryCodeTables1795640000000 } from './1795640000000-CreateWorkTypeAndAuxiliaryCodeTables';
import { CreateOutdialAniAndAddressBookTables1795640000100 } from './1795640000100-CreateOutdialAniAndAddressBookTables';
import { CreateEntryPointAndDnMappingTables1795640000200 } from './1795640000200-CreateEntryPointAndDnMappingTables';
import { CreateQueueAndOutdialQueueTables1795640000300 } from './1795640000300-CreateQueueAndOutdialQueueTables';
import { CreateOutdialEntryPointTable1795640000400 } from './1795640000400-CreateOutdialEntryPointTable';
import { CreateUserProfileTable1795640000500 } from './1795640000500-CreateUserProfileTable';
import { CreateAgentProfileTable1795640000600 } from './1795640000600-CreateAgentProfileTable';
import { CreateUserTable1795640000700 } from './1795640000700-CreateUserTable';
import { AddJobChangeFeed1795660000000 } from './1795660000000-AddJobChangeFeed';
import { AddJobFileSha2561795660013000 } from './1795660013000-AddJobFileSha256';
import { AddJobErrorSummary1795660013100 } from './1795660013100-AddJobErrorSummary';
import { AddJobCancelRequest1795670000000 } from './1795670000000-AddJobCancelRequest';
import { AddChunkDelivery1795670000100 } from './1795670000100-AddChunkDelivery';
import { AddJobPurgedAt1795670000200 } from './1795670000200-AddJobPurgedAt';
import { CreateWebhookTables1795670000300 } from './1795670000300-CreateWebhookTables';
import { AddBundleJobs1795680000100 } from './1795680000100-AddBundleJobs';
import { CreateJobChangeTable1795680000200 } from './1795680000200-CreateJobChangeTable';
import { AddJobUndoOf1795680000300 } from './1795680000300-AddJobUndoOf';
import { AddTokenRevokedNotification1795680000400 } from './1795680000400-AddTokenRevokedNotification';
import { SlimJobChangeWrites1795680000500 } from './1795680000500-SlimJobChangeWrites';
import { CompressStagedRowsWithLz41795690000000 } from './1795690000000-CompressStagedRowsWithLz4';
import { StoreJobChangesByChunk1795690000100 } from './1795690000100-StoreJobChangesByChunk';

/** Every migration, oldest first. Never edit one that has been merged; add a new one. */
export const MIGRATIONS = [
  CreateTrackingTables1795626418451,
  CreateSiteSkillAndTeamTables1795626418452,
  CreateAudioFileTable1795626418453,
  AddRowErrorSource1795630000000,
  AddAudioFileContent1795630000001,
  CreateWorkTypeAndAuxiliaryCodeTables1795640000000,
  CreateOutdialAniAndAddressBookTables1795640000100,
  CreateEntryPointAndDnMappingTables1795640000200,
  CreateQueueAndOutdialQueueTables1795640000300,
  CreateOutdialEntryPointTable1795640000400,
  CreateUserProfileTable1795640000500,
  CreateAgentProfileTable1795640000600,
  CreateUserTable1795640000700,
  AddJobChangeFeed1795660000000,
  AddJobFileSha2561795660013000,
  AddJobErrorSummary1795660013100,
  AddJobCancelRequest1795670000000,
  AddChunkDelivery1795670000100,
  AddJobPurgedAt1795670000200,
  CreateWebhookTables1795670000300,
  AddBundleJobs1795680000100,
  CreateJobChangeTable1795680000200,
  AddJobUndoOf1795680000300,
  AddTokenRevokedNotification1795680000400,
  SlimJobChangeWrites1795680000500,
  CompressStagedRowsWithLz41795690000000,
  StoreJobChangesByChunk1795690000100,
];
