// Vitest runs server modules outside Next's react-server graph, where `server-only` would throw.
export {};
