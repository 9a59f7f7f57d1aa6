import { Global, Module } from '@nestjs/common';
import { StorageService } from './storage.service';

/** Provides the StorageService (needs StorageEnv from the ConfigModule). */
@Global()
@Module({ providers: [StorageService], exports: [StorageService] })
export class StorageModule {}
