// Starts Swagger UI on /api/v1/docs with the portal's own OpenAPI document. A separate file, not
// an inline script, so the page's Content-Security-Policy can forbid inline scripts.
window.addEventListener('load', function () {
  window.SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#swagger', deepLinking: true });
});
