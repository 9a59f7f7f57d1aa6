import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { BullRegistrar, WorkerHost } from '@nestjs/bullmq';
import { assertConsumersMatchCatalogue } from './consumer-check';
import { consumerDeclaration, type ConsumerDeclaration } from './consumes';

/**
 * Starts a service's BullMQ workers, but only once its processors passed the catalogue check, so a
 * service with a job name nobody handles (or two processors for one) never takes a job.
 * QueueModule turns BullMQ's automatic worker registration off for this.
 */
@Injectable()
export class ConsumerRegistrar implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly bull: BullRegistrar,
  ) {}

  onModuleInit(): void {
    const consumers: ConsumerDeclaration[] = [];
    const undeclared: string[] = [];
    for (const { instance } of this.discovery.getProviders()) {
      if (!(instance instanceof WorkerHost)) continue;
      const declared = consumerDeclaration(instance.constructor);
      if (declared) consumers.push(declared);
      else undeclared.push(instance.constructor.name);
    }
    assertConsumersMatchCatalogue(consumers, undeclared);
    this.bull.register();
  }
}
