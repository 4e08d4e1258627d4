// The protocol-independent stand-in for the `client-protocol.ts` that
// `write-schema` renders beside `client.ts`: `tsc -p .` in this folder
// checks `client.ts` against any protocol's maps.

import type { ProtocolSettings } from "./client.js";

export type RequestId = string | number;

export type JSONRPCErrorError = {
  code: number;
  message: string;
  data?: unknown;
};

type RequestMap = Record<string, { params?: unknown; response: unknown }>;
type NotificationMap = Record<string, { params?: unknown }>;

export type ClientRequests = RequestMap;
export type ClientNotifications = NotificationMap;
export type ServerRequests = RequestMap;
export type ServerNotifications = NotificationMap;

export const protocolSettings: ProtocolSettings = {
  jsonrpc: "2.0",
  negotiation: null,
  gates: { requests: {}, notifications: {} },
};
