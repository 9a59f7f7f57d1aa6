import { Module } from '@nestjs/common';
import { IngestUploadService } from './ingest-upload.service';
import { IngestProcessor } from './ingest.processor';

/** Reading uploads. */
@Module({ providers: [IngestProcessor, IngestUploadService] })
export class IngestFeatureModule {}
