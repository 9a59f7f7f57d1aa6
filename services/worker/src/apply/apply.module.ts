import { Module, type DynamicModule } from '@nestjs/common';
import { ApplyChunkService } from './apply-chunk.service';
import { applyProcessorFor } from './apply.processor';

/** Applying chunks: one processor per consumed object type, one shared service. */
@Module({})
export class ApplyModule {
  static forObjects(objectTypes: readonly string[], concurrency: number): DynamicModule {
    return {
      module: ApplyModule,
      providers: [ApplyChunkService, ...objectTypes.map((type) => applyProcessorFor(type, concurrency))],
    };
  }
}
