import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@bulkops/contracts';
import type { Principal } from '@bulkops/database';

/** The request property the auth guard fills. */
export const PRINCIPAL = 'bulkopsPrincipal';

/** Injects the authenticated principal into a handler. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<Record<string, Principal>>()[PRINCIPAL],
);

export const ROLES = 'bulkopsRoles';

/** Roles allowed to call a handler (default: any valid token). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);
