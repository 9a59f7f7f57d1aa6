import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  JobMode,
  JobStatus,
  type JobCounts,
  type JobFailure,
  type JobSection,
  type JobView,
} from '@bulkops/contracts';

class JobCountsDto implements JobCounts {
  @ApiProperty() total!: number;
  @ApiProperty() processed!: number;
  @ApiProperty() succeeded!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() created!: number;
  @ApiProperty() updated!: number;
  @ApiProperty() deleted!: number;
  @ApiProperty() unchanged!: number;
}

class JobFailureDto implements JobFailure {
  @ApiProperty({ example: 'TOO_MANY_ROWS' }) code!: string;
  @ApiProperty({ example: 'queues-002.csv has 5001 rows; the limit is 5000' }) message!: string;
  @ApiProperty({ nullable: true, type: String }) file!: string | null;
}

class SubmitterDto {
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
}

class JobFileDto {
  @ApiProperty() name!: string;
  @ApiProperty() rows!: number;
}

class ErrorSummaryDto {
  @ApiProperty() message!: string;
  @ApiProperty() count!: number;
}

/** One type of a bundle job: its files and its counts from the ledger. */
class JobSectionDto implements JobSection {
  @ApiProperty({ example: 'site' }) object!: string;
  @ApiProperty({ type: [JobFileDto] }) files!: JobFileDto[];
  @ApiProperty({ type: JobCountsDto }) counts!: JobCountsDto;
}

/** OpenAPI shape of a job (mirrors JobView). */
export class JobViewDto implements JobView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'team' }) object!: string;
  @ApiProperty({ enum: JobMode }) mode!: JobMode;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'For an undo job, the job it takes back',
  })
  undoOf!: string | null;
  @ApiProperty() fileName!: string;
  @ApiProperty() fileSize!: number;
  @ApiProperty({ enum: JobStatus }) status!: JobStatus;
  @ApiProperty({ example: 'Completed With Errors' }) statusLabel!: string;
  @ApiProperty({ type: SubmitterDto }) submittedBy!: SubmitterDto;
  @ApiProperty() submittedAt!: string;
  @ApiProperty({ nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ type: JobCountsDto }) counts!: JobCountsDto;
  @ApiProperty({ minimum: 0, maximum: 1 }) progress!: number;
  @ApiProperty({ type: [JobFileDto] }) files!: JobFileDto[];
  @ApiPropertyOptional({ type: JobFailureDto, nullable: true }) failure!: JobFailureDto | null;
  @ApiProperty({ type: [ErrorSummaryDto] }) errorSummary!: ErrorSummaryDto[];
  @ApiPropertyOptional({
    type: [JobSectionDto],
    description:
      'Bundle jobs only (object "bundle"): each object type of the upload, in the order types are applied, with its files and its counts',
  })
  sections?: JobSectionDto[];
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'team',
    description:
      'Bundle jobs only: the object type being applied now (every type is applied after the ones it depends on); null before the first and after the last',
  })
  applying?: string | null;
}

/** A page of jobs. */
export class JobPageDto {
  @ApiProperty({ type: [JobViewDto] }) items!: JobViewDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
