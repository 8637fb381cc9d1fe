// public door of @omnitrain/telemetry
