// The official MCP TypeScript SDK's `Client` against an MCP server over stdio
// (newline-delimited JSON), checking what the example server offers:
//
//   node official-client.mjs [--transcript out.jsonl] [--set key=value]... -- <server command> [args...]
//
// It exits 0 when every check passes, 1 with the failed check otherwise, 2 on
// a bad command line. The names it uses are the defaults below; each can be
// changed with `--set key=value` (e.g. `--set resource=example://other`,
// `--set slowArguments={"steps":50}`), and a check skipped with `--skip name`
// (the names of CHECKS, e.g. `--skip server-ping`).

import assert from "node:assert/strict";

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { deserializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import {
  CallToolResultSchema,
  CreateMessageRequestSchema,
  ErrorCode,
  LATEST_PROTOCOL_VERSION,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  McpError,
  PingRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";

import { recordTransport, Transcript } from "./record.mjs";
import { parseCommandLine, sdkTransport, sleep, spawnStdio, within } from "./stdio.mjs";

/** What the client asks for, and of whom; each can be `--set`. */
const DEFAULTS = {
  protocolVersion: "2025-11-25",
  echoTool: "echo",
  echoMessage: "hello, MCP",
  addTool: "add",
  addArguments: '{"a":2,"b":3}',
  sampleTool: "sample",
  samplePrompt: "What is the capital of France?",
  sampleReply: "Paris is the capital of France.",
  slowTool: "slow",
  slowArguments: '{"steps":20}',
  // Progress notifications to receive before cancelling `slow`.
  cancelAfter: "2",
  unknownTool: "no-such-tool",
  // A call whose arguments break the tool's input schema. The 2025-11-25
  // specification (SEP-1303) makes that a tool execution error (a result
  // with `isError: true`); `protocol-error` expects JSON-RPC -32602 instead.
  invalidArguments: '{"a":"two","b":3}',
  invalidArgumentsAnswer: "tool-error",
  resource: "example://greeting",
  prompt: "greet",
  promptArgument: "name",
  completionValue: "",
  logLevel: "debug",
  timeoutMs: "10000",
};

/** The checks, in order; `--skip` takes these names. */
const CHECKS = [
  "initialize",
  "ping",
  "logging",
  "tools-list",
  "echo",
  "add",
  "sample",
  "slow-cancelled",
  "unknown-tool",
  "invalid-arguments",
  "malformed-call",
  "resources",
  "subscribe",
  "prompts",
  "completion",
  "server-ping",
  "log-message",
];

const INVALID_PARAMS = ErrorCode.InvalidParams; // -32602

function usage(problem) {
  console.error(`${problem}\nusage: node official-client.mjs [--transcript out.jsonl] [--set key=value]... [--skip check]... -- <server command> [args...]`);
  console.error(`settings (--set): ${Object.keys(DEFAULTS).join(", ")}`);
  console.error(`checks (--skip): ${CHECKS.join(", ")}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseCommandLine(process.argv.slice(2));
} catch (error) {
  usage(error.message);
}
const { options, server: serverCommand } = parsed;
if (serverCommand.length === 0) {
  usage("no server command (it goes after `--`)");
}
const settings = { ...DEFAULTS };
for (const pair of [options.set ?? []].flat()) {
  const equals = String(pair).indexOf("=");
  const key = String(pair).slice(0, equals);
  if (equals === -1 || !(key in DEFAULTS)) {
    usage(`--set ${pair}: expected key=value with key one of the settings`);
  }
  settings[key] = String(pair).slice(equals + 1);
}
const skipped = new Set([options.skip ?? []].flat().map(String));
for (const name of skipped) {
  if (!CHECKS.includes(name)) {
    usage(`--skip ${name}: no such check`);
  }
}
const timeoutMs = Number(settings.timeoutMs);

// The server, its transport recorded if asked, and the SDK client over it.
const peer = spawnStdio(serverCommand[0], serverCommand.slice(1), { env: { ...serverEnvironment() } });
const transcript = typeof options.transcript === "string" ? new Transcript(options.transcript) : undefined;
const wire = transcript === undefined ? peer.transport : recordTransport(peer.transport, transcript);
const transport = sdkTransport(wire, { close: () => peer.close(), parse: deserializeMessage });

const client = new Client(
  { name: "official-sdk-client", version: "1.32.2" },
  { capabilities: { sampling: {}, roots: { listChanged: true } } },
);

// What the server asked of the client, and what it told it.
const seen = { serverPings: 0, samplingRequests: [], rootsRequests: 0, logMessages: [], logLevelSent: undefined };
client.setRequestHandler(PingRequestSchema, () => {
  seen.serverPings += 1;
  return {};
});
client.setRequestHandler(CreateMessageRequestSchema, (request) => {
  seen.samplingRequests.push(request.params);
  return { role: "assistant", content: { type: "text", text: settings.sampleReply }, model: "fixed-reply", stopReason: "endTurn" };
});
client.setRequestHandler(ListRootsRequestSchema, () => {
  seen.rootsRequests += 1;
  return { roots: [{ uri: "file:///workspace", name: "workspace" }] };
});
client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
  seen.logMessages.push({ afterSetLevel: seen.logLevelSent !== undefined, params: notification.params });
});
const clientErrors = [];
client.onerror = (error) => clientErrors.push(error.message);

/** The error a promise rejects with (fails if it resolves). */
async function rejection(promise, what) {
  try {
    const value = await promise;
    assert.fail(`${what}: expected an error, got ${JSON.stringify(value)}`);
  } catch (error) {
    if (error instanceof assert.AssertionError) {
      throw error;
    }
    return error;
  }
}

function textOf(result) {
  return result.content.filter((block) => block.type === "text").map((block) => block.text).join("\n");
}

/** Polls `condition` until it holds or `ms` pass. */
async function eventually(condition, ms) {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) {
    await sleep(20);
  }
  return condition();
}

const steps = {
  async initialize() {
    await within(timeoutMs, "initialize", client.connect(transport));
    const capabilities = client.getServerCapabilities();
    assert.ok(capabilities, "the server declares capabilities");
    for (const name of ["tools", "resources", "prompts", "completions", "logging"]) {
      assert.ok(capabilities[name] !== undefined, `the server declares \`${name}\``);
    }
    assert.ok(capabilities.resources.subscribe, "the server declares `resources.subscribe`");
    assert.equal(LATEST_PROTOCOL_VERSION, settings.protocolVersion, "the SDK's latest protocol version");
    assert.equal(transport.protocolVersion, settings.protocolVersion, "the protocol version agreed on");
    assert.ok(client.getServerVersion()?.name, "the server names itself");
  },

  async ping() {
    assert.deepEqual(await client.ping(), {});
  },

  async logging() {
    seen.logLevelSent = settings.logLevel;
    assert.deepEqual(await client.setLoggingLevel(settings.logLevel), {});
  },

  async "tools-list"() {
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    for (const name of [settings.echoTool, settings.addTool, settings.sampleTool, settings.slowTool]) {
      assert.ok(names.includes(name), `tools/list has \`${name}\` (has ${names.join(", ")})`);
    }
    for (const tool of tools) {
      assert.equal(tool.inputSchema.type, "object", `${tool.name}: inputSchema is an object schema`);
    }
  },

  async echo() {
    const result = await client.callTool({ name: settings.echoTool, arguments: { message: settings.echoMessage } });
    assert.notEqual(result.isError, true, "echo is no error");
    assert.equal(textOf(result), settings.echoMessage);
  },

  async add() {
    const args = JSON.parse(settings.addArguments);
    const sum = args.a + args.b;
    const result = await client.callTool({ name: settings.addTool, arguments: args });
    assert.notEqual(result.isError, true, "add is no error");
    assert.equal(textOf(result), String(sum));
    assert.deepEqual(result.structuredContent, { sum });
  },

  async sample() {
    const before = seen.samplingRequests.length;
    const result = await client.callTool({ name: settings.sampleTool, arguments: { prompt: settings.samplePrompt } });
    assert.notEqual(result.isError, true, "sample is no error");
    assert.equal(seen.samplingRequests.length, before + 1, "the server asked sampling/createMessage once");
    const request = seen.samplingRequests[before];
    assert.ok(request.messages.length > 0, "sampling/createMessage has messages");
    assert.ok(Number.isInteger(request.maxTokens), "sampling/createMessage has maxTokens");
    assert.ok(textOf(result).includes(settings.sampleReply), `the tool's result has the client's reply: ${textOf(result)}`);
  },

  async "slow-cancelled"() {
    const controller = new AbortController();
    const progress = [];
    const cancelAfter = Number(settings.cancelAfter);
    const call = client.callTool({ name: settings.slowTool, arguments: JSON.parse(settings.slowArguments) }, CallToolResultSchema, {
      signal: controller.signal,
      timeout: timeoutMs,
      onprogress: (notification) => {
        progress.push(notification);
        if (progress.length === cancelAfter) {
          controller.abort("no longer needed");
        }
      },
    });
    const error = await within(timeoutMs, "slow: cancelled", rejection(call, "a cancelled call"));
    assert.equal(progress.length, cancelAfter, `progress notifications before the cancellation: ${progress.length}`);
    assert.ok(progress[1].progress > progress[0].progress, "progress increases");
    assert.ok(String(error?.message ?? error).length > 0, "the call was rejected");
    // The connection goes on after a cancellation.
    assert.deepEqual(await client.ping(), {});
  },

  async "unknown-tool"() {
    const error = await rejection(client.callTool({ name: settings.unknownTool, arguments: {} }), "an unknown tool");
    assert.ok(error instanceof McpError, `a JSON-RPC error: ${error}`);
    assert.equal(error.code, INVALID_PARAMS, `unknown tool: JSON-RPC -32602 (got ${error.code}: ${error.message})`);
  },

  async "invalid-arguments"() {
    const call = client.callTool({ name: settings.addTool, arguments: JSON.parse(settings.invalidArguments) });
    if (settings.invalidArgumentsAnswer === "protocol-error") {
      const error = await rejection(call, "invalid arguments");
      assert.ok(error instanceof McpError, `a JSON-RPC error: ${error}`);
      assert.equal(error.code, INVALID_PARAMS, `invalid arguments: JSON-RPC -32602 (got ${error.code}: ${error.message})`);
    } else {
      const result = await call;
      assert.equal(result.isError, true, `invalid arguments: a tool execution error (got ${JSON.stringify(result)})`);
      assert.ok(textOf(result).length > 0, "the tool error says what is wrong");
    }
  },

  async "malformed-call"() {
    // `arguments` must be an object: a request that fails CallToolRequest's
    // schema is a protocol error.
    const call = client.request({ method: "tools/call", params: { name: settings.echoTool, arguments: "not an object" } }, CallToolResultSchema);
    const error = await rejection(call, "tools/call with arguments that are not an object");
    assert.ok(error instanceof McpError, `a JSON-RPC error: ${error}`);
    assert.equal(error.code, INVALID_PARAMS, `malformed tools/call: JSON-RPC -32602 (got ${error.code}: ${error.message})`);
  },

  async resources() {
    const { resources } = await client.listResources();
    const uris = resources.map((resource) => resource.uri);
    assert.ok(uris.includes(settings.resource), `resources/list has ${settings.resource} (has ${uris.join(", ")})`);
    const { contents } = await client.readResource({ uri: settings.resource });
    assert.equal(contents.length, 1, "one content");
    assert.equal(contents[0].uri, settings.resource);
    assert.equal(typeof contents[0].text, "string", "a text resource");
  },

  async subscribe() {
    assert.deepEqual(await client.subscribeResource({ uri: settings.resource }), {});
  },

  async prompts() {
    const { prompts } = await client.listPrompts();
    const prompt = prompts.find((p) => p.name === settings.prompt);
    assert.ok(prompt, `prompts/list has ${settings.prompt}`);
    assert.deepEqual(
      (prompt.arguments ?? []).map((argument) => argument.name),
      [settings.promptArgument],
      `${settings.prompt} has the one argument ${settings.promptArgument}`,
    );
  },

  async completion() {
    const { completion } = await client.complete({
      ref: { type: "ref/prompt", name: settings.prompt },
      argument: { name: settings.promptArgument, value: settings.completionValue },
    });
    assert.ok(completion.values.length > 0, "completion/complete has values");
    for (const value of completion.values) {
      assert.ok(value.startsWith(settings.completionValue), `${value} completes ${JSON.stringify(settings.completionValue)}`);
    }
    // prompts/get with the first completion.
    const value = completion.values[0];
    const { messages } = await client.getPrompt({ name: settings.prompt, arguments: { [settings.promptArgument]: value } });
    assert.ok(messages.length > 0, "prompts/get has messages");
    assert.ok(JSON.stringify(messages).includes(value), `the prompt uses the argument ${value}`);
  },

  async "server-ping"() {
    assert.ok(await eventually(() => seen.serverPings > 0, 2000), "the server pinged the client (and was answered)");
  },

  async "log-message"() {
    assert.ok(
      await eventually(() => seen.logMessages.some((m) => m.afterSetLevel), 2000),
      "a notifications/message after logging/setLevel",
    );
  },
};

let failed = false;
let check;
try {
  for (check of CHECKS) {
    if (skipped.has(check)) {
      console.log(`skip ${check}`);
      continue;
    }
    await within(timeoutMs, check, steps[check]());
    console.log(`ok   ${check}`);
  }
} catch (error) {
  failed = true;
  console.error(`FAIL ${check}: ${error.stack ?? error}`);
}
await client.close().catch(() => {});
const { code, signal } = await peer.close();
transcript?.close();
if (transcript !== undefined) {
  console.log(`transcript: ${transcript.path} (${transcript.count} messages)`);
}
if (clientErrors.length > 0) {
  console.log(`the client reported: ${clientErrors.join(" | ")}`);
}
if (failed) {
  console.error(`server exited with ${code ?? signal}; its stderr:\n${peer.stderr()}`);
}
process.exit(failed ? 1 : 0);

/** The server's environment: PATH only (to find `node`, `cargo`, …). */
function serverEnvironment() {
  return process.env.PATH === undefined ? {} : { PATH: process.env.PATH };
}
