"""The modules behind ``aiodynamodb_fake.strategies`` (import that, not these): table specs, values,
requests and throttle schedules, one module each."""
