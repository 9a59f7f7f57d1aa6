import { Module } from '@nestjs/common';
import { PipelineMetrics } from './pipeline-metrics.service';

/** The operator's view of jobs and queues on /metrics. */
@Module({ providers: [PipelineMetrics] })
export class PipelineMetricsModule {}
