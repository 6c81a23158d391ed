/**
 * The upload limit in effect on every multipart route: the district's rule (settings,
 * uploadLimitMb) and never above the server's hard ceiling (CHOUCHA_UPLOAD_LIMIT_MB, the multipart
 * plugin's own limit). A route that asks for a smaller limit keeps it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { uploadLimitBytes, type Services } from '@choucha/services';

type FileOptions = Parameters<FastifyRequest['file']>[0];

export function registerUploadLimit(app: FastifyInstance, services: Services, ceilingBytes: number): void {
  app.addHook('preHandler', async (req) => {
    if (!req.isMultipart()) return;
    const limit = await uploadLimitBytes(services, ceilingBytes);
    const file = req.file.bind(req);
    req.file = ((o?: FileOptions) => {
      const asked = (o as { limits?: { fileSize?: number } } | undefined)?.limits;
      return file({
        ...o,
        limits: { files: 1, ...asked, fileSize: Math.min(asked?.fileSize ?? limit, limit) },
      } as FileOptions);
    }) as FastifyRequest['file'];
  });
}
