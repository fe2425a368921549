/** The shared API contract (browser-safe): method/event map, validation, hyperparameters, client. */
export * from './api';
export * from './base64';
export * from './browserTransport';
export * from './client';
export * from './emitter';
export * from './errors';
export * from './hyperparams';
export * from './presets';
export * from './validation';
