"""Cognito's behaviour around its triggers, layered in front of moto (which stores but never invokes them)."""
