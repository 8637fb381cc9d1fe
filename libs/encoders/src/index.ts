// public door of @omnitrain/encoders
