import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Serves the OpenAPI document generated from the controllers at /docs (UI) and /docs-json. */
export function serveOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('bulkops')
    .setDescription(
      'Bulk operations for contact-center configuration: upload CSV files to create, update and delete objects, follow the job, download the errors. Every /v1 request needs "Authorization: Bearer <token>".',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: 'docs-json',
  });
}
