// The desktop client (app.ts, compiled by `tsc -p tsconfig.build.json`)
// against a fake server that answers every request with the method's
// conformance example (protocol-defs/conformance/<method>/response.json).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

import { connect, tour } from "../build/client/tests/ts-client/app.js";

const conformance = new URL("../../../protocol-defs/conformance/", import.meta.url);
const example = (method, part) => JSON.parse(readFileSync(new URL(`${method}/${part}.json`, conformance), "utf8"));

/** A server that answers each request with its conformance response and records all traffic. */
class FakeServer {
  received = [];
  handler = undefined;

  send(text) {
    const message = JSON.parse(text);
    this.received.push(message);
    if ("method" in message && "id" in message) {
      queueMicrotask(() => this.deliver({ id: message.id, result: example(message.method, "response") }));
    }
  }

  onMessage(handler) {
    this.handler = handler;
  }

  deliver(message) {
    this.handler(JSON.stringify(message));
  }
}

function host() {
  return {
    lines: [],
    auth: [],
    apiKey: () => "sk-example",
    approvePatch: async (params) => (Object.keys(params.fileChanges).length > 0 ? "approved" : "denied"),
    approveCommand: async (params) => (params.command[0] === "cat" ? "approved_for_session" : "denied"),
    attest: async () => "v1.attested",
    authChanged(authMethod) {
      this.auth.push(authMethod);
    },
    log(line) {
      this.lines.push(line);
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("the desktop client", () => {
  it("initializes asking for attestation, then sends initialized", async () => {
    const server = new FakeServer();
    const session = await connect(server, host());
    assert.deepEqual(server.received[0], {
      method: "initialize",
      id: 0,
      params: {
        clientInfo: { name: "codex-desktop", title: "Codex Desktop", version: "1.4.0" },
        capabilities: { experimentalApi: false, requestAttestation: true },
      },
    });
    assert.deepEqual(server.received[1], { method: "initialized" });
    assert.deepEqual(session.server, example("initialize", "response"));
  });

  it("sends the client requests it uses, typed by the method maps", async () => {
    const server = new FakeServer();
    const desktop = host();
    const session = await connect(server, desktop);
    await tour(session, desktop);
    const methods = server.received.filter((m) => "id" in m).map((m) => m.method);
    assert.deepEqual(methods.sort(), [
      "execOneOffCommand",
      "getAuthStatus",
      "getConversationSummary",
      "getUserSavedConfig",
      "gitDiffToRemote",
      "initialize",
      "interruptConversation",
      "loginApiKey",
    ]);
    assert.ok(
      server.received.some((m) => m.method === "getUserSavedConfig" && !("params" in m)),
      "getUserSavedConfig is sent without params",
    );
    assert.ok(desktop.lines.includes("model: gpt-5"), desktop.lines.join("\n"));
    assert.ok(desktop.lines.includes("interrupted: interrupted"), desktop.lines.join("\n"));
  });

  it("answers every server request with the conformance examples' shapes", async () => {
    const server = new FakeServer();
    const desktop = host();
    await connect(server, desktop);
    server.received.length = 0;
    server.deliver({ method: "attestation/generate", id: 100, params: example("attestation/generate", "params") });
    server.deliver({ method: "applyPatchApproval", id: 101, params: example("applyPatchApproval", "params") });
    server.deliver({ method: "execCommandApproval", id: "e-1", params: example("execCommandApproval", "params") });
    await settle();
    assert.deepEqual(server.received, [
      { id: 100, result: { token: "v1.attested" } },
      { id: 101, result: { decision: "approved" } },
      { id: "e-1", result: { decision: "approved_for_session" } },
    ]);
  });

  it("handles server notifications", async () => {
    const server = new FakeServer();
    const desktop = host();
    await connect(server, desktop);
    server.deliver({ method: "authStatusChange", params: example("authStatusChange", "params") });
    server.deliver({ method: "authStatusChange", params: { authMethod: null } });
    assert.deepEqual(desktop.auth, ["apikey", null]);
  });
});
