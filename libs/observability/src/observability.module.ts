import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { LogEnv } from '@bulkops/config';
import { HealthController } from './health.controller';
import { Metrics, MetricsController } from './metrics';
import { requestLog } from './request-log';

/** Logging (pino, JSON lines), health and metrics, the same in every service. */
@Global()
@Module({})
export class ObservabilityModule {
  static forService(service: string): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        LoggerModule.forRootAsync({
          inject: [LogEnv],
          useFactory: (env: LogEnv) => ({
            pinoHttp: {
              level: env.logLevel,
              base: { service },
              // Requests are logged through an allow-list (requestLog): no header or query value
              // that may carry a credential is ever written.
              serializers: { req: requestLog },
              autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
              customProps: () => ({ service }),
            },
          }),
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [Metrics],
      exports: [Metrics],
    };
  }
}
