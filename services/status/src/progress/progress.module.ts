import { Module } from '@nestjs/common';
import { BlobCollector } from './blob-collector.service';
import { ChunkDispatcher } from './chunk-dispatcher.service';
import { JobEventsProcessor } from './job-events.processor';
import { JobProgressService } from './job-progress.service';
import { ReaperSchedule } from './reaper-schedule';
import { RecoveryMetrics } from './recovery-metrics';
import { RetentionService } from './retention.service';
import { StuckJobReaper } from './stuck-job-reaper.service';

/** Job progress, final status, dispatch and the reaper. */
@Module({
  providers: [
    JobEventsProcessor,
    JobProgressService,
    ChunkDispatcher,
    StuckJobReaper,
    ReaperSchedule,
    RetentionService,
    BlobCollector,
    RecoveryMetrics,
  ],
})
export class ProgressModule {}
