// Type-level tests of the generated bindings and client.ts: each line after
// `// @ts-expect-error` must fail to compile, and tsc fails if it does not
// (error TS2578, unused directive). Keep each such statement on one line so
// the error lands on it. Never run: only compiled.

import {
  Client,
  JsonRpcError,
  type ClientRequestMap,
  type GetAuthStatusResponse,
  type InitializeResponse,
  type ServerRequest,
  type ServerRequestMap,
  type Transport,
} from "../../generated/typescript/index.js";

declare const transport: Transport;
const client = new Client(transport);
const clientInfo = { name: "app", version: "1" };

export async function accepted(): Promise<void> {
  const init: InitializeResponse = await client.request("initialize", { clientInfo, capabilities: null });
  const auth: GetAuthStatusResponse = await client.request("getAuthStatus", { includeToken: true });
  // A method without params: leave them out, or pass null.
  await client.request("getUserSavedConfig");
  await client.request("getUserSavedConfig", null);
  client.notify("initialized");
  client.onRequest("attestation/generate", () => ({ token: "v1.x" }));
  client.onRequest("attestation/generate", async (_params, id) => ({ token: String(id) }));
  client.onNotification("authStatusChange", (params) => void params.authMethod);
  const stop = client.onError((error, message) => void [error.message, message]);
  stop();
  const code: number = new JsonRpcError({ code: -32000, message: "refused" }).code;
  void [init, auth, code];
}

export async function rejected(): Promise<void> {
  // Wrong params for the method.
  // @ts-expect-error
  await client.request("loginApiKey", { cwd: "/tmp" });
  // @ts-expect-error
  await client.request("gitDiffToRemote", { cwd: 42 });
  // Missing required field.
  // @ts-expect-error
  await client.request("initialize", { capabilities: null });
  // @ts-expect-error
  await client.request("loginApiKey", {});
  // Params required, but left out.
  // @ts-expect-error
  await client.request("gitDiffToRemote");
  // Params given to a method without params.
  // @ts-expect-error
  await client.request("getUserSavedConfig", { config: {} });
  // Unknown method.
  // @ts-expect-error
  await client.request("logout", {});
  // A server request is not a client request, nor a notification a request.
  // @ts-expect-error
  await client.request("attestation/generate", {});
  // @ts-expect-error
  client.notify("initialize", { clientInfo, capabilities: null });
  // @ts-expect-error
  client.notify("authStatusChange", { authMethod: null });
  // Wrong response type.
  // @ts-expect-error
  const wrong: InitializeResponse = await client.request("getAuthStatus", {});
  // A server-request answer of the wrong shape.
  // @ts-expect-error
  client.onRequest("attestation/generate", () => ({ token: 42 }));
  // @ts-expect-error
  client.onRequest("attestation/generate", async () => ({}));
  // @ts-expect-error
  client.onRequest("applyPatchApproval", () => ({ decision: "maybe" }));
  // @ts-expect-error
  client.onRequest("execCommandApproval", () => ({ approved: true }));
  // An answer to a server request that does not exist.
  // @ts-expect-error
  client.onRequest("initialize", () => ({ userAgent: "x" }));
  // A notification handler expecting the wrong params.
  // @ts-expect-error
  client.onNotification("authStatusChange", (params: { authMethod: number }) => void params);
  // An error object without its message.
  // @ts-expect-error
  void new JsonRpcError({ code: -32000 });
  void wrong;
}

/** A switch that forgets a server request fails its exhaustiveness check. */
export function forgetful(request: ServerRequest): ServerRequestMap[ServerRequest["method"]]["response"] {
  switch (request.method) {
    case "applyPatchApproval":
    case "execCommandApproval":
      return { decision: "denied" };
    default: {
      // @ts-expect-error: "attestation/generate" is not handled.
      const unhandled: never = request;
      throw new Error(`unhandled ${String(unhandled)}`);
    }
  }
}

/** The maps reject unknown methods and wrong shapes too. */
// @ts-expect-error
export type Unknown = ClientRequestMap["logout"];
// @ts-expect-error
export const badParams: ClientRequestMap["initialize"]["params"] = { clientInfo: { name: "x" }, capabilities: null };
