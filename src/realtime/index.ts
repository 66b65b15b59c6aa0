/**
 * Real-time segments: the engine that keeps every saved segment's membership exact while the server
 * runs (see engine/engine.ts and docs/realtime.md), its clock, and the shapes it publishes.
 */
export { RealtimeEngine, type EngineOptions, type MembershipChange, type RecordedChange, type DataFingerprints } from './engine/engine.js';
export type { EngineStatus } from './engine/status.js';
export type { RefusedSegment } from './engine/model.js';
export { ManualClock, systemClock, type Clock } from './clock.js';
