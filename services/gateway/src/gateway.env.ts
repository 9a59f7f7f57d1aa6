import { IsInt, Min } from 'class-validator';

/** Upload limits of the gateway (spec/api.md: 200 MB for a zip, 10 MB for a CSV). */
export class GatewayEnv {
  @IsInt()
  @Min(1)
  gatewayMaxZipBytes: number = 200 * 1024 * 1024;

  @IsInt()
  @Min(1)
  gatewayMaxCsvBytes: number = 10 * 1024 * 1024;
}
