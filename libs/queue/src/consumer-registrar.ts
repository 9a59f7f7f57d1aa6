import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { BullRegistrar, WorkerHost } from '@nestjs/bullmq';
import { assertConsumersMatchCatalogue } from './consumer-check';
import { consumerDeclaration, type ConsumerDeclaration } from './consumes';
import { redisErrorLog } from './redis-error-log';

/**
 * Starts a service's BullMQ workers, but only once its processors passed the catalogue check, so a
 * service with a job name nobody handles (or two processors for one) never takes a job.
 * QueueModule turns BullMQ's automatic worker registration off for this.
 */
@Injectable()
export class ConsumerRegistrar implements OnModuleInit {
  private readonly logger = new Logger(ConsumerRegistrar.name);

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly bull: BullRegistrar,
  ) {}

  onModuleInit(): void {
    const consumers: ConsumerDeclaration[] = [];
    const undeclared: string[] = [];
    const hosts: WorkerHost[] = [];
    for (const { instance } of this.discovery.getProviders()) {
      if (!(instance instanceof WorkerHost)) continue;
      hosts.push(instance as WorkerHost);
      const declared = consumerDeclaration(instance.constructor);
      if (declared) consumers.push(declared);
      else undeclared.push(instance.constructor.name);
    }
    assertConsumersMatchCatalogue(consumers, undeclared);
    this.bull.register();
    // A worker's connection errors (Redis away) become one JSON log line, not stacks on stderr.
    for (const host of hosts) host.worker.on('error', redisErrorLog(this.logger, host.worker.name));
  }
}
