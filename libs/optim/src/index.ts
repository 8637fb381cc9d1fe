// public door of @omnitrain/optim
