import type { StorageEnv } from '@bulkops/config';
import { LocalStorage } from './local-storage';
import { S3Storage } from './s3-storage';
import type { StorageService } from './storage.service';

/**
 * The storage adapter the configuration names: an S3-compatible store when STORAGE_URL is set
 * (its bucket checked once, so a wrong bucket or credentials stop start-up), else STORAGE_DIR.
 */
export async function createStorage(env: StorageEnv): Promise<StorageService> {
  if (env.storageUrl === undefined) return new LocalStorage(env.storageDir);
  const storage = new S3Storage(env);
  await storage.checkReachable();
  return storage;
}
