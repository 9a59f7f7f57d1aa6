import { ApiProperty } from '@nestjs/swagger';
import { ErrorCode } from '@bulkops/contracts';

/** OpenAPI shape of every non-2xx answer (spec/api.md "Errors"); some codes add details. */
export class ErrorBodyDto {
  @ApiProperty({ example: 404 }) statusCode!: number;
  @ApiProperty({ example: 'Not Found' }) error!: string;
  @ApiProperty({ example: "'teams' is not an object type; use one of site, team" })
  message!: string;
  @ApiProperty({ enum: ErrorCode, example: ErrorCode.UnknownObjectType }) code!: ErrorCode;
}
