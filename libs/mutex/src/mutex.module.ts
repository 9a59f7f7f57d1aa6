import { Global, Module } from '@nestjs/common';
import { OrgLock } from './org-lock';

/** Provides OrgLock (needs the QueueModule's RedisClient and LockEnv, QueueEnv). */
@Global()
@Module({ providers: [OrgLock], exports: [OrgLock] })
export class MutexModule {}
