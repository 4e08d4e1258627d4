// generated/typescript/client.ts (compiled by `tsc -p tsconfig.build.json`)
// against a real peer: the example app server (tests/src/bin/example-app-server.rs),
// spawned as a child process and spoken to over its stdin and stdout, one
// JSON message per line. EXAMPLE_APP_SERVER is the path of its binary
// (`cargo test -p tests --test it example_server::` sets it).

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { describe, it } from "node:test";

import { Client, JsonRpcError } from "../build/client/generated/typescript/index.js";

const SERVER = process.env.EXAMPLE_APP_SERVER;
if (!SERVER) {
  throw new Error("set EXAMPLE_APP_SERVER to the path of the example-app-server binary");
}

/** Each test gets this long; the child is killed when it runs out. */
const TIMEOUT_MS = 10_000;

/** The server as a child process, with a stdio transport for the client. */
class ServerProcess {
  constructor() {
    this.child = spawn(SERVER, [], { stdio: ["pipe", "pipe", "pipe"] });
    this.stderr = "";
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (chunk) => {
      this.stderr += chunk;
    });
    this.exited = once(this.child, "exit");
    this.killer = setTimeout(() => this.child.kill("SIGKILL"), TIMEOUT_MS);
    this.lines = createInterface({ input: this.child.stdout });
  }

  /** The transport `Client` takes: newline-delimited JSON over the pipes. */
  transport() {
    return {
      send: (text) => {
        assert.ok(!text.includes("\n"), "one message per line");
        this.child.stdin.write(`${text}\n`);
      },
      onMessage: (handler) => {
        this.lines.on("line", (line) => handler(line));
      },
    };
  }

  /** Closes stdin and waits for the exit: `{ code, signal, stderr }`. */
  async shutdown() {
    this.child.stdin.end();
    const [code, signal] = await this.exited;
    clearTimeout(this.killer);
    return { code, signal, stderr: this.stderr };
  }
}

function connect() {
  const server = new ServerProcess();
  const client = new Client(server.transport());
  const problems = [];
  client.onError((error) => problems.push(error.message));
  return { server, client, problems };
}

const clientInfo = { name: "node-test", title: null, version: "1.0.0" };

/** A promise and the function that resolves it. */
function signal() {
  let resolve;
  const promise = new Promise((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("the generated client against the example app server", { timeout: TIMEOUT_MS }, () => {
  it("answers the attestation request it opted into; the server logs it redacted", async () => {
    const { server, client, problems } = connect();
    const secret = "v1.attestation-do-not-log";
    const asked = signal();
    client.onRequest("attestation/generate", (params, id) => {
      asked.resolve({ params, id });
      return { token: secret };
    });
    const init = await client.request("initialize", {
      clientInfo,
      capabilities: { experimentalApi: false, requestAttestation: true },
    });
    assert.equal(init.userAgent, "example-app-server/0.1.0");
    assert.equal(init.platformOs, "linux");
    client.notify("initialized");
    const { params, id } = await asked.promise;
    assert.deepEqual(params, {});
    assert.equal(id, 0, "the server's first request");
    // The server reads in order: once this answer arrives, it has the attestation.
    await client.request("getAuthStatus", {});

    const { code, signal: killed, stderr } = await server.shutdown();
    assert.deepEqual([code, killed], [0, null], stderr);
    assert.match(stderr, /attestation 0: AttestationGenerateResponse \{ token: Secret\(<redacted>\) \}/);
    assert.match(stderr, new RegExp(`\\(${secret.length} bytes, forwarded as x-oai-attestation\\)`));
    assert.ok(!stderr.includes(secret), stderr);
    assert.match(stderr, /stdin closed; shutting down/);
    assert.deepEqual(problems, []);
  });

  it("is not asked for an attestation without requestAttestation", async () => {
    for (const capabilities of [null, { experimentalApi: true, requestAttestation: false }]) {
      const { server, client, problems } = connect();
      let asked = 0;
      client.onRequest("attestation/generate", () => {
        asked += 1;
        return { token: "v1.unused" };
      });
      await client.request("initialize", { clientInfo, capabilities });
      client.notify("initialized");
      // Anything the server sent after `initialized` arrives before this answer.
      const auth = await client.request("getAuthStatus", { includeToken: false });
      assert.deepEqual(auth, { authMethod: null, authToken: null, requiresOpenaiAuth: true });
      const { code, stderr } = await server.shutdown();
      assert.equal(code, 0, stderr);
      assert.equal(asked, 0, `asked with capabilities ${JSON.stringify(capabilities)}`);
      assert.match(
        stderr,
        /not asking for an attestation: `attestation\/generate` requires the client capability `requestAttestation`/,
      );
      assert.deepEqual(problems, []);
    }
  });

  it("rejects invalid params with -32602 as a JsonRpcError", async () => {
    const { server, client } = connect();
    await client.request("initialize", { clientInfo, capabilities: null });
    await assert.rejects(client.request("loginApiKey", { apiKey: 42 }), (error) => {
      assert.ok(error instanceof JsonRpcError, String(error));
      assert.equal(error.code, -32602);
      assert.match(error.message, /invalid params for `loginApiKey`/);
      return true;
    });
    await assert.rejects(client.request("loginApiKey", {}), { code: -32602 });
    // A well-formed request that the server refuses is an error too.
    await assert.rejects(client.request("loginApiKey", { apiKey: "not-a-key" }), { code: -32602 });
    const { code } = await server.shutdown();
    assert.equal(code, 0);
  });

  it("delivers the server's notification to the client's handler", async () => {
    const { server, client, problems } = connect();
    const changed = [];
    client.onNotification("authStatusChange", (params) => {
      changed.push(params.authMethod);
    });
    await client.request("initialize", { clientInfo, capabilities: null });
    client.notify("initialized");
    assert.deepEqual(await client.request("loginApiKey", { apiKey: "sk-example" }), {});
    // The notification follows the response; a second round trip lets it arrive.
    const auth = await client.request("getAuthStatus", {});
    assert.equal(auth.authMethod, "apikey");
    assert.deepEqual(changed, ["apikey"]);
    const { code } = await server.shutdown();
    assert.equal(code, 0);
    assert.deepEqual(problems, []);
  });

  it("answers a method it does not know with -32601", async () => {
    const { server, client } = connect();
    await client.request("initialize", { clientInfo, capabilities: null });
    // Not in the protocol: outside the types, which is why this is plain JavaScript.
    await assert.rejects(client.request("thread/start", {}), (error) => {
      assert.ok(error instanceof JsonRpcError, String(error));
      assert.equal(error.code, -32601);
      assert.match(error.message, /thread\/start/);
      return true;
    });
    const { code } = await server.shutdown();
    assert.equal(code, 0);
  });

  it("shuts down cleanly when its stdin closes", async () => {
    const { server } = connect();
    const { code, signal: killed, stderr } = await server.shutdown();
    assert.deepEqual([code, killed], [0, null], stderr);
    assert.match(stderr, /stdin closed; shutting down/);
  });
});
