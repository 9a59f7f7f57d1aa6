import { runService } from '@bulkops/observability';
import { workerService } from './worker.service';

runService(workerService);
