import { Module, type DynamicModule } from '@nestjs/common';
import type { LoadedEnv } from './load-env';

/**
 * Makes each loaded env class injectable by its own type, everywhere in the service. The values
 * are validated before this module exists (see `loadEnv`), so nothing connects with bad config.
 */
@Module({})
export class ConfigModule {
  static forRoot(loaded: LoadedEnv): DynamicModule {
    const providers = loaded.classes().map((envClass) => ({
      provide: envClass,
      useValue: loaded.get(envClass),
    }));
    return {
      module: ConfigModule,
      global: true,
      providers,
      exports: providers.map((p) => p.provide),
    };
  }
}
