import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { BullRegistrar } from '@nestjs/bullmq';
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
    assertConsumersMatchCatalogue(this.consumers());
    this.bull.register();
  }

  private consumers(): ConsumerDeclaration[] {
    return this.discovery.getProviders().flatMap((wrapper) => {
      const type: unknown =
        wrapper.metatype ?? (wrapper.instance as object | undefined)?.constructor;
      const declared = typeof type === 'function' ? consumerDeclaration(type) : null;
      return declared ? [declared] : [];
    });
  }
}
