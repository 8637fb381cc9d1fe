// public door of @omnitrain/audio
