import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { BulkopsError, ErrorCode, type Role } from '@bulkops/contracts';
import { hashApiToken } from '@bulkops/database';
import { addLogContext } from '@bulkops/observability';
import { RecentTokens } from '../reads/recent-tokens.service';
import { PRINCIPAL, ROLES } from './principal';

/** The token of an `Authorization: Bearer <token>` header, or null when the header is not one. */
export function bearerToken(header: string | undefined): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? null;
}

/**
 * Authenticates `Authorization: Bearer <token>` (401 when missing, malformed, unknown or revoked)
 * and checks the handler's roles (403). The principal scopes everything after it to one
 * organization.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly tokens: RecentTokens,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined> } & Record<string, unknown>>();
    const header = request.headers['authorization'];
    const token = bearerToken(header);
    if (!token) {
      throw new BulkopsError(
        ErrorCode.Unauthorized,
        header
          ? 'The Authorization header must be "Bearer <token>".'
          : 'This request needs an API token: send "Authorization: Bearer <token>".',
      );
    }
    const principal = await this.tokens.find(hashApiToken(token));
    if (!principal) {
      throw new BulkopsError(
        ErrorCode.Unauthorized,
        'The API token is unknown or revoked; ask an administrator for a new one.',
      );
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (roles && !roles.includes(principal.role)) {
      throw new BulkopsError(
        ErrorCode.Forbidden,
        `A ${principal.role} token may not do this; it needs the ${roles.join(' or ')} role.`,
      );
    }
    request[PRINCIPAL] = principal;
    addLogContext(request, { orgId: principal.orgId });
    return true;
  }
}
