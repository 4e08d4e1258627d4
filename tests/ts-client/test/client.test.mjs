// generated/typescript/client.ts, compiled by `tsc -p tsconfig.build.json`,
// run against a fake transport. Run with `node --test test/`.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { Client, JsonRpcError } from "../build/client/generated/typescript/index.js";

/** A transport that records what the client sends and delivers what the test says. */
class FakeTransport {
  /** The raw texts sent, in order. */
  sent = [];
  handler = undefined;
  failSend = undefined;

  send(message) {
    if (this.failSend !== undefined) {
      throw this.failSend;
    }
    this.sent.push(message);
  }

  onMessage(handler) {
    assert.equal(this.handler, undefined, "onMessage is called once");
    this.handler = handler;
  }

  /** Delivers a message: a value is sent as its JSON text, a string as is. */
  receive(message) {
    this.handler(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** The messages sent, parsed. */
  messages() {
    return this.sent.map((text) => JSON.parse(text));
  }

  last() {
    assert.ok(this.sent.length > 0, "something was sent");
    return JSON.parse(this.sent.at(-1));
  }
}

function setup() {
  const transport = new FakeTransport();
  const client = new Client(transport);
  const errors = [];
  client.onError((error, message) => errors.push({ error, message }));
  return { transport, client, errors };
}

/** Lets pending promise callbacks (handlers, replies) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const initParams = {
  clientInfo: { name: "test", title: null, version: "1" },
  capabilities: { experimentalApi: false, requestAttestation: true },
};

describe("requests", () => {
  it("are sent as {method, id, params} with integer ids from 0, without a jsonrpc member", () => {
    const { transport, client } = setup();
    void client.request("initialize", initParams);
    void client.request("gitDiffToRemote", { cwd: "/p" });
    assert.deepEqual(transport.sent, [
      JSON.stringify({ method: "initialize", id: 0, params: initParams }),
      '{"method":"gitDiffToRemote","id":1,"params":{"cwd":"/p"}}',
    ]);
    for (const message of transport.messages()) {
      assert.equal("jsonrpc" in message, false);
    }
  });

  it("leave params out for a method without params", () => {
    const { transport, client } = setup();
    void client.request("getUserSavedConfig");
    assert.deepEqual(transport.sent, ['{"method":"getUserSavedConfig","id":0}']);
  });

  it("pair responses with requests by id, in any order", async () => {
    const { transport, client, errors } = setup();
    const first = client.request("gitDiffToRemote", { cwd: "/a" });
    const second = client.request("getAuthStatus", { includeToken: true });
    const third = client.request("getUserSavedConfig");
    assert.deepEqual(
      transport.messages().map((m) => m.id),
      [0, 1, 2],
    );
    transport.receive({ id: 2, result: { config: { model: "c" } } });
    transport.receive({ id: 0, result: { sha: "a", diff: "" } });
    transport.receive({ id: 1, result: { authMethod: null, authToken: null, requiresOpenaiAuth: false } });
    assert.deepEqual(await third, { config: { model: "c" } });
    assert.deepEqual(await first, { sha: "a", diff: "" });
    assert.deepEqual(await second, { authMethod: null, authToken: null, requiresOpenaiAuth: false });
    assert.deepEqual(errors, []);
  });

  it("resolve with a null result", async () => {
    const { transport, client } = setup();
    const pending = client.request("loginApiKey", { apiKey: "k" });
    transport.receive('{"id":0,"result":null}');
    assert.equal(await pending, null);
  });

  it("reject with a JsonRpcError carrying the error object", async () => {
    const { transport, client } = setup();
    const pending = client.request("loginApiKey", { apiKey: "bad" });
    const error = { code: -32602, message: "invalid api key", data: { field: "apiKey" } };
    transport.receive({ id: 0, error });
    await assert.rejects(pending, (thrown) => {
      assert.ok(thrown instanceof JsonRpcError);
      assert.ok(thrown instanceof Error);
      assert.equal(thrown.name, "JsonRpcError");
      assert.deepEqual(thrown.error, error);
      assert.equal(thrown.code, -32602);
      assert.equal(thrown.message, "invalid api key");
      assert.deepEqual(thrown.data, { field: "apiKey" });
      return true;
    });
  });

  it("reject when the transport cannot send, and ids move on", async () => {
    const { transport, client } = setup();
    transport.failSend = new Error("broken pipe");
    await assert.rejects(client.request("getUserSavedConfig"), /broken pipe/);
    transport.failSend = undefined;
    const next = client.request("getUserSavedConfig");
    assert.deepEqual(transport.last(), { method: "getUserSavedConfig", id: 1 });
    transport.receive({ id: 1, result: { config: {} } });
    assert.deepEqual(await next, { config: {} });
  });

  it("reject on a malformed response instead of hanging", async () => {
    const { transport, client, errors } = setup();
    const noResult = client.request("getUserSavedConfig");
    const badError = client.request("getUserSavedConfig");
    transport.receive({ id: 0 });
    transport.receive({ id: 1, error: { message: "no code" } });
    await assert.rejects(noResult, (e) => !(e instanceof JsonRpcError) && /malformed response/.test(e.message));
    await assert.rejects(badError, (e) => !(e instanceof JsonRpcError) && /malformed response/.test(e.message));
    assert.equal(errors.length, 2);
  });
});

describe("notifications", () => {
  it("are sent without an id, and without params when the method has none", () => {
    const { transport, client } = setup();
    client.notify("initialized");
    assert.deepEqual(transport.sent, ['{"method":"initialized"}']);
    client.notify("initialized", null);
    assert.deepEqual(transport.last(), { method: "initialized", params: null });
    assert.equal("id" in transport.last(), false);
  });

  it("from the server reach every handler of their method", () => {
    const { transport, client, errors } = setup();
    const seen = [];
    client.onNotification("authStatusChange", (params) => seen.push(["a", params]));
    const remove = client.onNotification("authStatusChange", (params) => seen.push(["b", params]));
    transport.receive({ method: "authStatusChange", params: { authMethod: "apikey" } });
    remove();
    transport.receive({ method: "authStatusChange", params: { authMethod: null } });
    // Nobody listens to this one: dropped quietly.
    transport.receive({ method: "someOtherNotification", params: {} });
    assert.deepEqual(seen, [
      ["a", { authMethod: "apikey" }],
      ["b", { authMethod: "apikey" }],
      ["a", { authMethod: null }],
    ]);
    assert.deepEqual(transport.sent, [], "notifications are never answered");
    assert.deepEqual(errors, []);
  });

  it("whose handler throws are reported, and the other handlers still run", async () => {
    const { transport, client, errors } = setup();
    const seen = [];
    client.onNotification("authStatusChange", () => {
      throw new Error("sync boom");
    });
    client.onNotification("authStatusChange", async () => {
      throw new Error("async boom");
    });
    client.onNotification("authStatusChange", (params) => seen.push(params));
    transport.receive({ method: "authStatusChange", params: { authMethod: null } });
    await settle();
    assert.deepEqual(seen, [{ authMethod: null }]);
    assert.deepEqual(errors.map((e) => e.error.message).sort(), ["async boom", "sync boom"]);
  });
});

describe("server requests", () => {
  it("are dispatched to their handler, whose result is the reply", async () => {
    const { transport, client } = setup();
    const calls = [];
    client.onRequest("attestation/generate", (params, id) => {
      calls.push({ params, id });
      return { token: "v1.token" };
    });
    client.onRequest("execCommandApproval", async (params) => {
      await settle();
      return { decision: params.command[0] === "ls" ? "approved" : "denied" };
    });
    transport.receive({ method: "execCommandApproval", id: "s-1", params: { command: ["ls"] } });
    transport.receive({ method: "attestation/generate", id: 7, params: {} });
    await settle();
    await settle();
    assert.deepEqual(calls, [{ params: {}, id: 7 }]);
    assert.deepEqual(transport.sent, [
      '{"id":7,"result":{"token":"v1.token"}}',
      '{"id":"s-1","result":{"decision":"approved"}}',
    ]);
  });

  it("without a handler are answered -32601", async () => {
    const { transport, client } = setup();
    transport.receive({ method: "applyPatchApproval", id: 3, params: {} });
    transport.receive({ method: "no/such/method", id: "x" });
    await settle();
    const replies = transport.messages();
    assert.deepEqual(
      replies.map((r) => [r.id, r.error.code, "result" in r]),
      [
        [3, -32601, false],
        ["x", -32601, false],
      ],
    );
    assert.match(replies[0].error.message, /applyPatchApproval/);
  });

  it("whose handler throws are answered -32603, and reported", async () => {
    const { transport, client, errors } = setup();
    client.onRequest("attestation/generate", () => {
      throw new Error("no attestation available");
    });
    client.onRequest("applyPatchApproval", async () => {
      throw new Error("ui crashed");
    });
    transport.receive({ method: "attestation/generate", id: 1, params: {} });
    transport.receive({ method: "applyPatchApproval", id: 2, params: {} });
    await settle();
    assert.deepEqual(transport.messages(), [
      { id: 1, error: { code: -32603, message: "no attestation available" } },
      { id: 2, error: { code: -32603, message: "ui crashed" } },
    ]);
    assert.equal(errors.length, 2);
  });

  it("whose handler throws a JsonRpcError are answered with its error object", async () => {
    const { transport, client, errors } = setup();
    const refusal = { code: -32001, message: "user is away", data: { retryAfter: 30 } };
    client.onRequest("execCommandApproval", () => {
      throw new JsonRpcError(refusal);
    });
    transport.receive({ method: "execCommandApproval", id: 4, params: {} });
    await settle();
    assert.deepEqual(transport.messages(), [{ id: 4, error: refusal }]);
    assert.deepEqual(errors, [], "a deliberate refusal is not a problem");
  });

  it("answer null for a handler returning nothing; a removed handler answers -32601", async () => {
    const { transport, client } = setup();
    const remove = client.onRequest("attestation/generate", () => undefined);
    transport.receive({ method: "attestation/generate", id: 1 });
    await settle();
    remove();
    transport.receive({ method: "attestation/generate", id: 2 });
    await settle();
    assert.deepEqual(transport.messages(), [
      { id: 1, result: null },
      { id: 2, error: { code: -32601, message: "method not found: attestation/generate" } },
    ]);
  });

  it("take the last handler registered for a method", async () => {
    const { transport, client } = setup();
    const first = client.onRequest("attestation/generate", () => ({ token: "first" }));
    client.onRequest("attestation/generate", () => ({ token: "second" }));
    first(); // Removing a replaced handler leaves its successor in place.
    transport.receive({ method: "attestation/generate", id: 1, params: {} });
    await settle();
    assert.deepEqual(transport.messages(), [{ id: 1, result: { token: "second" } }]);
  });
});

describe("malformed input", () => {
  it("is reported and dropped without throwing, and the client carries on", async () => {
    const { transport, client, errors } = setup();
    const inputs = [
      "not json",
      "",
      "[1, 2]",
      "42",
      "null",
      '"text"',
      "{}",
      '{"method": 5, "id": 1}',
      '{"method": "attestation/generate", "id": 1.5}',
      '{"method": "attestation/generate", "id": null}',
      '{"method": "attestation/generate", "id": {"nested": true}}',
      '{"id": 99, "result": {}}',
      '{"id": "0", "result": {}}',
      '{"id": null, "error": {"code": -32700, "message": "parse error"}}',
    ];
    const pending = client.request("getUserSavedConfig");
    for (const input of inputs) {
      assert.doesNotThrow(() => transport.receive(input), input);
    }
    await settle();
    assert.equal(errors.length, inputs.length, errors.map((e) => e.error.message).join("\n"));
    assert.deepEqual(
      errors.map((e) => e.message),
      inputs,
      "each report carries the text received",
    );
    // Nothing was answered: none of them was a request with a usable id.
    assert.deepEqual(transport.sent, ['{"method":"getUserSavedConfig","id":0}']);
    // A late duplicate is reported too, after the real response settled the request.
    transport.receive({ id: 0, result: { config: {} } });
    transport.receive({ id: 0, result: { config: {} } });
    assert.deepEqual(await pending, { config: {} });
    assert.equal(errors.length, inputs.length + 1);
  });

  it("does not reach the transport when an error handler throws", () => {
    const { transport, client } = setup();
    client.onError(() => {
      throw new Error("logger broke");
    });
    assert.doesNotThrow(() => transport.receive("not json"));
  });
});

describe("close", () => {
  it("rejects pending and later requests, and ignores later input", async () => {
    const { transport, client } = setup();
    const pending = client.request("getUserSavedConfig");
    client.close("shutting down");
    await assert.rejects(pending, /the client is closed: shutting down/);
    await assert.rejects(client.request("getUserSavedConfig"), /the client is closed/);
    assert.throws(() => client.notify("initialized"), /the client is closed/);
    client.onRequest("attestation/generate", () => ({ token: "x" }));
    transport.receive({ method: "attestation/generate", id: 1, params: {} });
    transport.receive({ id: 0, result: {} });
    await settle();
    assert.deepEqual(transport.sent, ['{"method":"getUserSavedConfig","id":0}']);
  });

  it("rejects with the Error given as the reason", async () => {
    const { client } = setup();
    const reason = new Error("transport closed");
    const pending = client.request("getUserSavedConfig");
    client.close(reason);
    await assert.rejects(pending, (thrown) => thrown === reason);
  });
});
