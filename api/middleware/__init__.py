"""Pure ASGI middleware (no `BaseHTTPMiddleware`): one concern per module."""
