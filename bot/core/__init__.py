"""The platform-neutral engine: events in, replies out, storage, flows, buttons, identity."""
