import { runService } from '@bulkops/observability';
import { gatewayService } from './gateway.service';

runService(gatewayService);
