// public door of @omnitrain/fusion
