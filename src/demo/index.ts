/** The demo shop: a seeded synthetic shop for trying segmint, for tests and for benchmarks (docs/demo.md). */
export { generateDemo, type DemoProgress, type DemoResult, type DemoRunOptions } from './generate.js';
export { demoKey, type DemoKey } from './key.js';
export { DEMO_DEFAULTS, demoId, demoOptions, todayMidnightUtc, type DemoOptions } from './options.js';
export { MODEL } from './params.js';
