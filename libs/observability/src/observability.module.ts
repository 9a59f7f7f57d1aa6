import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { LogEnv } from '@bulkops/config';
import { HealthController } from './health.controller';
import { logContextOf } from './log-context';
import { safeError } from './log-safety';
import { Metrics, MetricsController } from './metrics';
import { ShutdownState } from './shutdown-state';
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
              // Tokens never reach a log line; neither do the values an error was about. Requests
              // are logged through an allow-list (requestLog): no header or query value that may
              // carry a credential is ever written.
              serializers: { err: safeError, req: requestLog },
              autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
              // Called when the request completes, after authentication named the organization.
              customProps: (req) => ({ service, ...logContextOf(req) }),
            },
          }),
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: Metrics, useValue: new Metrics(service) }, ShutdownState],
      exports: [Metrics, ShutdownState],
    };
  }
}
