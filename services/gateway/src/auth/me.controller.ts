import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import { AdministratorRepository, type Principal } from '@bulkops/database';
import { BearerAuthGuard } from './bearer-auth.guard';
import { MeDto } from './me.dto';
import { CurrentPrincipal } from './principal';

/**
 * `GET /v1/me`: the organization, role and administrator behind the token, so a client (the
 * dashboard) can show who is signed in and hide what the role may not do.
 */
@ApiTags('auth')
@ApiBearerAuth()
@UseGuards(BearerAuthGuard)
@Controller('v1/me')
export class MeController {
  constructor(private readonly administrators: AdministratorRepository) {}

  @Get()
  @ApiOperation({ summary: 'The organization, role and administrator of the token' })
  @ApiOkResponse({ type: MeDto })
  async me(@CurrentPrincipal() principal: Principal): Promise<MeDto> {
    const profile = await this.administrators.profile(principal.orgId, principal.adminId);
    if (!profile) {
      throw new BulkopsError(
        ErrorCode.Unauthorized,
        'The administrator of this token no longer exists; ask for a new token.',
      );
    }
    return {
      orgId: principal.orgId,
      orgName: profile.orgName,
      role: principal.role,
      name: profile.name,
      email: profile.email,
    };
  }
}
