import { ErrorCode, type BulkopsError } from '@bulkops/contracts';
import { assertConsumersMatchCatalogue, consumerProblems } from './consumer-check';
import type { ConsumerDeclaration } from './consumes';

const jobEvents: ConsumerDeclaration = {
  processor: 'JobEventsProcessor',
  queue: 'job-events',
  handles: ['chunk-applied', 'ingest-finished', 'cancel-requested', 'reap-stuck-jobs'],
};
const applySite: ConsumerDeclaration = {
  processor: 'ApplySiteProcessor',
  queue: 'apply.site',
  handles: ['apply-chunk'],
};

describe('the consumer check', () => {
  it('lets a service start whose consumed queues each have one processor per job name', () => {
    const applyTeam = { ...applySite, processor: 'ApplyTeamProcessor', queue: 'apply.team' };
    expect(consumerProblems([jobEvents, applySite, applyTeam])).toEqual([]);
    expect(consumerProblems([])).toEqual([]);
  });

  it('refuses a consumed queue with a job name no processor handles', () => {
    const forgetful = {
      ...jobEvents,
      handles: ['chunk-applied', 'ingest-finished', 'cancel-requested'] as const,
    };
    expect(consumerProblems([forgetful])).toEqual([
      "no processor handles 'reap-stuck-jobs' on the 'job-events' queue",
    ]);
  });

  it('refuses a job name that two processors handle on one queue', () => {
    const twin = { ...applySite, processor: 'ApplySiteProcessorCopy' };
    expect(consumerProblems([applySite, twin])).toEqual([
      "'apply-chunk' on the 'apply.site' queue has 2 processors: ApplySiteProcessor, ApplySiteProcessorCopy",
    ]);
  });

  it('refuses a processor that claims a job of another queue, or a queue the catalogue does not know', () => {
    const stray = { ...jobEvents, handles: [...jobEvents.handles, 'ingest-upload' as const] };
    const unknown = { processor: 'ExportProcessor', queue: 'exports', handles: [] };
    expect(consumerProblems([stray, unknown])).toEqual([
      "JobEventsProcessor claims 'ingest-upload' on the 'job-events' queue, but the catalogue sends 'ingest-upload' elsewhere",
      "ExportProcessor consumes 'exports', a queue the catalogue does not know",
    ]);
  });

  it('refuses to start with every problem listed in one INVALID_CONFIGURATION error', () => {
    const forgetful = { ...jobEvents, handles: ['chunk-applied', 'cancel-requested'] as const };
    const twin = { ...applySite, processor: 'ApplySiteProcessorCopy' };
    expect(() => assertConsumersMatchCatalogue([forgetful, applySite, twin])).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidConfiguration,
        details: {
          problems: [
            "no processor handles 'ingest-finished' on the 'job-events' queue",
            "no processor handles 'reap-stuck-jobs' on the 'job-events' queue",
            "'apply-chunk' on the 'apply.site' queue has 2 processors: ApplySiteProcessor, ApplySiteProcessorCopy",
          ],
        },
      }) as BulkopsError,
    );
    expect(() => assertConsumersMatchCatalogue([jobEvents, applySite])).not.toThrow();
  });

  it('refuses a BullMQ processor that bypassed @Consumes, since nobody can tell what it handles', () => {
    expect(() => assertConsumersMatchCatalogue([jobEvents], ['LegacyProcessor'])).toThrow(
      'LegacyProcessor is a BullMQ processor without @Consumes; declare its queue and job names with @Consumes',
    );
  });
});
