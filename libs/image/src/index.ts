// public door of @omnitrain/image
