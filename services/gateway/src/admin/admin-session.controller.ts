import {
  Controller,
  Delete,
  HttpCode,
  HttpStatus,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Role } from '@bulkops/contracts';
import { hashApiToken } from '@bulkops/database';
import { BearerAuthGuard, bearerToken } from '../auth/bearer-auth.guard';
import { Roles } from '../auth/principal';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { ADMIN_SESSION_COOKIE, AdminSessions, sessionIdOf } from './admin-sessions';

/** Trades an admin token for a short-lived session cookie of the queue board (`/admin/queues`). */
@ApiTags('admin')
@Controller('admin/session')
export class AdminSessionController {
  constructor(private readonly sessions: AdminSessions) {}

  @Post()
  @HttpCode(HttpStatus.NO_CONTENT)
  @UseGuards(BearerAuthGuard)
  @Roles(Role.Admin)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Open a queue-board session (admin)',
    description:
      'Sets an HttpOnly, SameSite=Strict cookie scoped to /admin that lets this browser open /admin/queues until it expires (GATEWAY_ADMIN_SESSION_TTL_MS, default 15 minutes) or the token is revoked. The token itself never goes into a URL or a cookie.',
  })
  @ApiNoContentResponse({ description: 'The session cookie is set' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'A viewer token' })
  async open(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const id = await this.sessions.open(hashApiToken(bearerToken(request.headers.authorization)!));
    response.setHeader(
      'Set-Cookie',
      this.cookie(request, id, Math.floor(this.sessions.ttlMs / 1000)),
    );
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End the queue-board session of this browser' })
  @ApiNoContentResponse({ description: 'The session is gone' })
  async close(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.sessions.close(sessionIdOf(request.headers.cookie));
    response.setHeader('Set-Cookie', this.cookie(request, '', 0));
  }

  private cookie(request: Request, value: string, maxAgeSeconds: number): string {
    const secure = request.secure ? '; Secure' : '';
    return `${ADMIN_SESSION_COOKIE}=${value}; Path=/admin; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure}`;
  }
}
