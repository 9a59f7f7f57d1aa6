import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { LogEnv } from '@bulkops/config';
import { HealthController } from './health.controller';
import { httpLogOptions } from './http-logging';
import { Metrics, MetricsController } from './metrics';
import { ShutdownState } from './shutdown-state';

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
          useFactory: (env: LogEnv) => ({ pinoHttp: httpLogOptions(service, env.logLevel) }),
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: Metrics, useValue: new Metrics(service) }, ShutdownState],
      exports: [Metrics, ShutdownState],
    };
  }
}
