// public door of @omnitrain/text
