import { runService } from '@bulkops/observability';
import { ingestService } from './ingest.service';

runService(ingestService);
