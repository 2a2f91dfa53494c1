/**
 * Public API of n8n-nodes-sms-gateway for use outside n8n (scripts, other tools):
 * the SMS codec and the gateway clients. The n8n nodes are registered through
 * the "n8n" section of package.json, not through this file.
 */
export * from './nodes/shared/codec';
export * from './nodes/shared/providers';
export * from './nodes/shared/zip';
