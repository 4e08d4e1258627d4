// A desktop client of the app server, written the way an application would
// write it against the generated bindings: the client requests it needs,
// typed by the method maps; every server request answered and every server
// notification handled, exhaustively (a method added to the protocol that
// the app does not answer does not compile). The app sends only what it
// uses, so a new client request needs no change here. tsc checks it under
// two module configurations; test/app.test.mjs runs it against a fake server.

import {
  Client,
  type ApplyPatchApprovalParams,
  type AuthMode,
  type ClientInfo,
  type ExecCommandApprovalParams,
  type InitializeResponse,
  type ReviewDecision,
  type ServerNotification,
  type ServerRequest,
  type Transport,
} from "../../generated/typescript/index.js";

/** What the desktop app provides: the user's decisions and the attestation. */
export interface DesktopHost {
  approvePatch(params: ApplyPatchApprovalParams): Promise<ReviewDecision>;
  approveCommand(params: ExecCommandApprovalParams): Promise<ReviewDecision>;
  /** A fresh attestation token. */
  attest(): Promise<string>;
  /** The API key the user saved, if any. */
  apiKey(): string | null;
  authChanged(authMethod: AuthMode | null): void;
  log(line: string): void;
}

export const CLIENT_INFO: ClientInfo = {
  name: "codex-desktop",
  title: "Codex Desktop",
  version: "1.4.0",
};

/**
 * Every server request method, at run time. The mapped type makes the list
 * exact: a method added to the protocol and missing here does not compile.
 */
const SERVER_REQUESTS: { readonly [M in ServerRequest["method"]]: null } = {
  applyPatchApproval: null,
  execCommandApproval: null,
  "attestation/generate": null,
};

const SERVER_NOTIFICATIONS: { readonly [M in ServerNotification["method"]]: null } = {
  authStatusChange: null,
};

/** Registers the answer to one server request. */
function answer(client: Client, host: DesktopHost, method: ServerRequest["method"]): void {
  switch (method) {
    case "applyPatchApproval":
      client.onRequest(method, async (params) => ({ decision: await host.approvePatch(params) }));
      return;
    case "execCommandApproval":
      client.onRequest(method, async (params) => ({ decision: await host.approveCommand(params) }));
      return;
    case "attestation/generate":
      client.onRequest(method, async () => ({ token: await host.attest() }));
      return;
    default: {
      const unanswered: never = method;
      throw new Error(`no answer to the server request ${String(unanswered)}`);
    }
  }
}

/** Registers the handler of one server notification. */
function handle(client: Client, host: DesktopHost, method: ServerNotification["method"]): void {
  switch (method) {
    case "authStatusChange":
      client.onNotification(method, (params) => host.authChanged(params.authMethod));
      return;
    default: {
      const unhandled: never = method;
      throw new Error(`no handler for the server notification ${String(unhandled)}`);
    }
  }
}

export interface Session {
  readonly client: Client;
  readonly server: InitializeResponse;
}

/**
 * Opens a session: registers the answers and handlers, sends `initialize`
 * asking for attestation requests, then `initialized`.
 */
export async function connect(transport: Transport, host: DesktopHost): Promise<Session> {
  const client = new Client(transport);
  client.onError((error) => host.log(`protocol error: ${error.message}`));
  for (const method of Object.keys(SERVER_REQUESTS) as ServerRequest["method"][]) {
    answer(client, host, method);
  }
  for (const method of Object.keys(SERVER_NOTIFICATIONS) as ServerNotification["method"][]) {
    handle(client, host, method);
  }
  const server = await client.request("initialize", {
    clientInfo: CLIENT_INFO,
    capabilities: { experimentalApi: false, requestAttestation: true },
  });
  client.notify("initialized");
  host.log(`connected to ${server.userAgent} on ${server.platformOs}`);
  return { client, server };
}

/** What the app does once connected: the client requests it uses, once each. */
export async function tour(session: Session, host: DesktopHost): Promise<void> {
  const { client } = session;
  const cwd = "/home/dev/project";
  const auth = await client.request("getAuthStatus", { includeToken: false });
  const apiKey = host.apiKey();
  if (auth.authMethod !== "apikey" && apiKey !== null) {
    await client.request("loginApiKey", { apiKey });
  }
  const { config } = await client.request("getUserSavedConfig");
  host.log(`model: ${config.model ?? "default"}`);
  const { diff } = await client.request("gitDiffToRemote", { cwd });
  host.log(`diff: ${diff.length} bytes`);
  const run = await client.request("execOneOffCommand", {
    command: ["git", "status"],
    cwd,
    sandboxPolicy: { type: "read-only" },
  });
  host.log(`exit code: ${run.exitCode}`);
  const { summary } = await client.request("getConversationSummary", {
    conversationId: "67e55044-10b1-426f-9247-bb680e5fe0c8",
  });
  host.log(`conversation: ${summary.preview}`);
  const { abortReason } = await client.request("interruptConversation", { conversationId: summary.conversationId });
  host.log(`interrupted: ${abortReason}`);
}
