import { ApiProperty } from '@nestjs/swagger';
import { Role } from '@bulkops/contracts';

/** Who a token speaks for (`GET /v1/me`). */
export class MeDto {
  @ApiProperty({ format: 'uuid' }) orgId!: string;
  @ApiProperty({ example: 'Acme Contact Center' }) orgName!: string;
  @ApiProperty({ enum: Role }) role!: Role;
  @ApiProperty({ example: 'Ada Admin' }) name!: string;
  @ApiProperty({ example: 'ada@example.com' }) email!: string;
}
