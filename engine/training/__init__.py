"""Training: sessions, stacks of runs stepped as one, sampling, optimizers, history, devices."""
