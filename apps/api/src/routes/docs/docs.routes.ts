import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';

/** `/openapi.json` (the document) and `/docs` (Swagger UI, served from the package: no CDN). */
export function docsRoutes(document: object): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.use('/docs', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'MnemoLite API' }));
  return router;
}
