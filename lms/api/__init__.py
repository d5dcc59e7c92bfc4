"""The JSON API under /api/v1: tokens, conventions (errors, pages, ETags, limits), the OpenAPI document
and thin operations over the other domains' services."""
