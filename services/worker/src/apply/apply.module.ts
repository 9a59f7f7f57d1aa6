import { Module, type DynamicModule } from '@nestjs/common';
import { ApplyChunkService } from './apply-chunk.service';
import { applyProcessorFor } from './apply.processor';
import { ObjectBlobsService } from './object-blobs.service';

/** Applying chunks: one processor per consumed object type, one shared service. */
@Module({})
export class ApplyModule {
  static forObjects(objectTypes: readonly string[], concurrency: number): DynamicModule {
    return {
      module: ApplyModule,
      providers: [
        ApplyChunkService,
        ObjectBlobsService,
        ...objectTypes.map((type) => applyProcessorFor(type, concurrency)),
      ],
    };
  }
}
