import {
  IsInt,
  Max,
  Min,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { OBJECT_TYPES } from '@bulkops/objects';

const KNOWN = OBJECT_TYPES.map((d) => d.type);

@ValidatorConstraint({ name: 'objectTypeList' })
class ObjectTypeList implements ValidatorConstraintInterface {
  validate(value: string): boolean {
    return value.trim() === '*' || value.split(',').every((type) => KNOWN.includes(type.trim()));
  }

  defaultMessage(): string {
    return `workerObjects must be * or a comma-separated list of object types: ${KNOWN.join(', ')}`;
  }
}

/** What one worker replica consumes, and how much at once. */
export class WorkerEnv {
  /** `*`, or the object types whose apply queues this replica consumes (scale each on its own). */
  @Validate(ObjectTypeList)
  workerObjects: string = '*';

  /** Chunks applied at once per object type and process. */
  @IsInt()
  @Min(1)
  @Max(32)
  workerConcurrency: number = 2;

  /**
   * Tries of one chunk (across deliveries, crashes included) before its rows are given up as
   * NOT_APPLIED row errors, so one chunk that can never be applied does not hold its job forever.
   * An outage of Postgres itself does not count as a try that failed.
   */
  @IsInt()
  @Min(2)
  @Max(100)
  workerChunkMaxTries: number = 5;

  /** The object types this replica consumes. */
  objectTypes(): string[] {
    return this.workerObjects.trim() === '*'
      ? KNOWN
      : this.workerObjects.split(',').map((t) => t.trim());
  }
}
