import { IsEnum, IsOptional, IsString, Matches } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { JobStatus } from '@bulkops/contracts';
import { PageQuery } from '../paging/page.query';

/** Query of `GET /v1/jobs`. */
export class ListJobsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: JobStatus })
  @IsOptional()
  @IsEnum(JobStatus, { message: `status must be one of ${Object.values(JobStatus).join(', ')}` })
  status?: JobStatus;

  @ApiPropertyOptional({ example: 'team' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z-]{0,63}$/, { message: 'object must be an object type such as team' })
  object?: string;
}
