import { IsOptional, IsString, Matches } from 'class-validator';
import { Secret } from '@bulkops/config';

/** Where the API client talks to, and as whom. */
export class CliEnv {
  @Matches(/^https?:\/\/\S+$/, { message: 'bulkopsUrl must be an http:// or https:// URL' })
  bulkopsUrl: string = 'http://localhost:3000';

  @Secret()
  @IsOptional()
  @IsString()
  bulkopsToken?: string = undefined;
}
