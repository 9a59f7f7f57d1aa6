import { Global, Module } from '@nestjs/common';
import { StorageEnv } from '@bulkops/config';
import { createStorage } from './create-storage';
import { StorageService } from './storage.service';

/** Provides the StorageService adapter StorageEnv names (needs StorageEnv from the ConfigModule). */
@Global()
@Module({
  providers: [
    {
      provide: StorageService,
      inject: [StorageEnv],
      useFactory: (env: StorageEnv) => createStorage(env),
    },
  ],
  exports: [StorageService],
})
export class StorageModule {}
