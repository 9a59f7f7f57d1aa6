import { runService } from '@bulkops/observability';
import { statusService } from './status.service';

runService(statusService);
