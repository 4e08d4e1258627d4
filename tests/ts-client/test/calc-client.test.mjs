// client.ts rendered for `calc` (standard JSON-RPC 2.0, a negotiation that
// carries both sides' capabilities, `math/mul` gated on `client.bigNumbers`,
// `math/pow` on `server.math.pow`, `echo` sent by both peers), compiled by
// `tests/tests/it/typescript.rs` to build/calc-client/, run against a fake
// transport.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { CapabilityError, Client, JsonRpcError } from "../build/calc-client/out/typescript/index.js";

class FakeTransport {
  sent = [];
  handler = undefined;

  send(message) {
    this.sent.push(message);
  }

  onMessage(handler) {
    this.handler = handler;
  }

  receive(message) {
    this.handler(typeof message === "string" ? message : JSON.stringify(message));
  }

  messages() {
    return this.sent.map((text) => JSON.parse(text));
  }
}

function setup() {
  const transport = new FakeTransport();
  const client = new Client(transport);
  const errors = [];
  client.onError((error, message) => errors.push({ error, message }));
  return { transport, client, errors };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

const operands = { leftOperand: 2, rightOperand: 10 };

/** Opens the session: the client declares `client`, the server answers `server`. */
async function open(transport, client, { client: own = {}, server = {} } = {}) {
  const opened = client.request("session/open", { capabilities: own });
  const { id } = transport.messages().at(-1);
  transport.receive({ jsonrpc: "2.0", id, result: { capabilities: server } });
  return opened;
}

/** Asserts that `pending` rejects with a CapabilityError for `method` and `capability`. */
async function refused(pending, method, side, path) {
  await assert.rejects(pending, (error) => {
    assert.ok(error instanceof CapabilityError, String(error));
    assert.equal(error.name, "CapabilityError");
    assert.equal(error.method, method);
    assert.deepEqual(error.capability, { side, path });
    assert.match(error.message, new RegExp(`requires the ${side} capability \`${path.join("\\.")}\``));
    return true;
  });
}

describe("the jsonrpc member", () => {
  it("is first in every request the client sends", () => {
    const { transport, client } = setup();
    void client.request("session/open", { capabilities: { bigNumbers: true } });
    void client.request("shutdown");
    assert.deepEqual(transport.sent, [
      '{"jsonrpc":"2.0","method":"session/open","id":0,"params":{"capabilities":{"bigNumbers":true}}}',
      '{"jsonrpc":"2.0","method":"shutdown","id":1}',
    ]);
  });

  it("is in the client's responses and error responses", async () => {
    const { transport, client } = setup();
    client.onRequest("echo", ({ text }) => {
      if (text === "fail") {
        throw new JsonRpcError({ code: -32000, message: "no" });
      }
      return { text };
    });
    transport.receive({ jsonrpc: "2.0", id: "a", method: "echo", params: { text: "hi" } });
    transport.receive({ jsonrpc: "2.0", id: "b", method: "echo", params: { text: "fail" } });
    transport.receive({ jsonrpc: "2.0", id: "c", method: "math/unknown" });
    await settle();
    // In the order they are answered: a method without a handler at once.
    assert.deepEqual(transport.sent.toSorted(), [
      '{"jsonrpc":"2.0","id":"a","result":{"text":"hi"}}',
      '{"jsonrpc":"2.0","id":"b","error":{"code":-32000,"message":"no"}}',
      '{"jsonrpc":"2.0","id":"c","error":{"code":-32601,"message":"method not found: math/unknown"}}',
    ]);
  });

  it("is required of a response: one without it rejects its request", async () => {
    const { transport, client, errors } = setup();
    const pending = client.request("shutdown");
    transport.receive({ id: 0, result: {} });
    await assert.rejects(pending, (e) => !(e instanceof JsonRpcError) && /`jsonrpc` is not "2.0"/.test(e.message));
    assert.equal(errors.length, 1);
    transport.receive({ jsonrpc: "2.0", id: 0, result: {} });
    assert.equal(errors.length, 2, "the request is no longer pending");
  });

  it("an error with a null id settles no request and is reported", async () => {
    const { transport, client, errors } = setup();
    const pending = client.request("echo", { text: "x" });
    let settled = false;
    pending.then(() => (settled = true), () => (settled = true));
    transport.receive({ jsonrpc: "2.0", error: { code: -32700, message: "parse error" }, id: null });
    await settle();
    assert.equal(settled, false);
    assert.equal(errors.length, 1);
    assert.match(errors[0].error.message, /could not read a message: parse error \(-32700\)/);
    const { id } = transport.messages().at(-1);
    transport.receive({ jsonrpc: "2.0", id, result: { text: "x" } });
    assert.deepEqual(await pending, { text: "x" });
  });

  it("is required of a request: one without it, or with another version, is answered -32600", async () => {
    const { transport, client, errors } = setup();
    let called = false;
    client.onRequest("echo", ({ text }) => {
      called = true;
      return { text };
    });
    transport.receive({ id: 7, method: "echo", params: { text: "hi" } });
    transport.receive({ jsonrpc: "1.0", id: 8, method: "echo", params: { text: "hi" } });
    await settle();
    assert.equal(called, false);
    assert.deepEqual(
      transport.messages().map((m) => [m.jsonrpc, m.id, m.error.code]),
      [
        ["2.0", 7, -32600],
        ["2.0", 8, -32600],
      ],
    );
    assert.equal(errors.length, 2);
  });

  it("is required of a notification: one without it reaches no handler", async () => {
    const { transport, client, errors } = setup();
    const seen = [];
    client.onNotification("progress", (params) => void seen.push(params.percent));
    transport.receive({ method: "progress", params: { percent: 1 } });
    transport.receive({ jsonrpc: "2.0", method: "progress", params: { percent: 2 } });
    await settle();
    assert.deepEqual(seen, [2]);
    assert.equal(errors.length, 1);
    assert.deepEqual(transport.sent, []);
  });
});

describe("capabilities", () => {
  it("refuse a method gated on a server capability before the negotiation, sending nothing", async () => {
    const { transport, client } = setup();
    await refused(client.request("math/pow", operands), "math/pow", "server", ["math", "pow"]);
    await refused(client.request("math/mul", operands), "math/mul", "client", ["bigNumbers"]);
    assert.deepEqual(transport.sent, []);
    // The refused requests took no id.
    void client.request("math/add", operands);
    assert.equal(transport.messages()[0].id, 0);
  });

  it("are recorded from the negotiation: math/pow refused until the server declares math.pow", async () => {
    const { transport, client } = setup();
    const opening = client.request("session/open", { capabilities: { bigNumbers: true } });
    // Sent, not answered yet: nothing is declared.
    await refused(client.request("math/pow", operands), "math/pow", "server", ["math", "pow"]);
    transport.receive({ jsonrpc: "2.0", id: 0, result: { capabilities: { math: {} }, motd: "hi" } });
    assert.deepEqual(await opening, { capabilities: { math: {} }, motd: "hi" });
    // `math` without `pow`.
    await refused(client.request("math/pow", operands), "math/pow", "server", ["math", "pow"]);
    assert.equal(client.declares({ side: "server", path: ["math"] }), true);
    assert.equal(client.declares({ side: "server", path: ["math", "pow"] }), false);
    // The client's own capability, from the params it sent.
    const product = client.request("math/mul", operands);
    assert.deepEqual(transport.messages().at(-1), { jsonrpc: "2.0", method: "math/mul", id: 1, params: operands });
    transport.receive({ jsonrpc: "2.0", id: 1, result: { sum: 20 } });
    assert.deepEqual(await product, { sum: 20 });
    assert.equal(transport.sent.length, 2);

    // A new negotiation in which the server declares `math.pow`.
    const reopening = open(transport, client, { client: {}, server: { math: { pow: {} } } });
    await reopening;
    const power = client.request("math/pow", operands);
    assert.deepEqual(transport.messages().at(-1), { jsonrpc: "2.0", method: "math/pow", id: 3, params: operands });
    transport.receive({ jsonrpc: "2.0", id: 3, result: { sum: 1024 } });
    assert.deepEqual(await power, { sum: 1024 });
    // The client no longer declares bigNumbers.
    await refused(client.request("math/mul", operands), "math/mul", "client", ["bigNumbers"]);
  });

  it("are not declared by false or null", async () => {
    for (const pow of [false, null]) {
      const { transport, client } = setup();
      await open(transport, client, { server: { math: { pow } } });
      await refused(client.request("math/pow", operands), "math/pow", "server", ["math", "pow"]);
      assert.equal(transport.sent.length, 1, "only the negotiation was sent");
    }
  });

  it("are not recorded from a negotiation that failed", async () => {
    const { transport, client } = setup();
    const opening = client.request("session/open", { capabilities: { bigNumbers: true } });
    transport.receive({ jsonrpc: "2.0", id: 0, error: { code: -32000, message: "busy" } });
    await assert.rejects(opening, JsonRpcError);
    await refused(client.request("math/mul", operands), "math/mul", "client", ["bigNumbers"]);
  });
});

describe("echo, a request both peers send", () => {
  it("is sent by the client and answered by the server", async () => {
    const { transport, client } = setup();
    const echoed = client.request("echo", { text: "ping" });
    assert.deepEqual(transport.messages(), [{ jsonrpc: "2.0", method: "echo", id: 0, params: { text: "ping" } }]);
    transport.receive({ jsonrpc: "2.0", id: 0, result: { text: "ping" } });
    assert.deepEqual(await echoed, { text: "ping" });
  });

  it("is sent by the server and answered by the client's handler", async () => {
    const { transport, client } = setup();
    client.onRequest("echo", ({ text }) => ({ text: text.toUpperCase() }));
    transport.receive({ jsonrpc: "2.0", id: 5, method: "echo", params: { text: "pong" } });
    await settle();
    assert.deepEqual(transport.messages(), [{ jsonrpc: "2.0", id: 5, result: { text: "PONG" } }]);
  });
});
