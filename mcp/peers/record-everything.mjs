// One session of the official MCP TypeScript SDK's `Client` with the
// reference server `@modelcontextprotocol/server-everything` over stdio,
// recorded as a transcript (see record.mjs): as much of the protocol as the
// server offers without the network.
//
//   node record-everything.mjs [--transcript transcripts/everything-official-sdk.jsonl]
//
// The session is a fixed sequence and the client waits for the server's
// spontaneous messages at known points, so that two recordings differ only
// in what the server makes up (times in resource texts, random log levels,
// generated ids). `get-env` is not called: it prints the server's
// environment. Exits 1 if a step fails.

import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { deserializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import {
  CallToolResultSchema,
  CreateMessageRequestSchema,
  CreateTaskResultSchema,
  ElicitRequestSchema,
  ErrorCode,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  McpError,
  ResourceUpdatedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";

import { recordTransport, Transcript } from "./record.mjs";
import { parseCommandLine, sdkTransport, sleep, spawnStdio, within } from "./stdio.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const { options } = parseCommandLine(process.argv.slice(2));
const transcriptPath = typeof options.transcript === "string" ? options.transcript : join(HERE, "transcripts/everything-official-sdk.jsonl");

/** The stdio entry of server-everything: `dist/index.js stdio`. */
export function everythingServer() {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("@modelcontextprotocol/server-everything/package.json");
  return [process.execPath, [join(dirname(manifest), "dist/index.js"), "stdio"]];
}

const [command, args] = everythingServer();
const peer = spawnStdio(command, args, { env: {} });
const transcript = new Transcript(transcriptPath);
const transport = sdkTransport(recordTransport(peer.transport, transcript), { close: () => peer.close(), parse: deserializeMessage });

const client = new Client(
  { name: "official-sdk-client", version: "1.32.2" },
  { capabilities: { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } } },
);

// The client's side of the server's requests.
let roots = [{ uri: "file:///workspace/project", name: "project" }];
const served = { roots: 0, sampling: 0, elicitation: [] };
client.setRequestHandler(ListRootsRequestSchema, () => {
  served.roots += 1;
  return { roots };
});
client.setRequestHandler(CreateMessageRequestSchema, (request) => {
  served.sampling += 1;
  const prompt = request.params.messages.at(-1)?.content;
  return {
    role: "assistant",
    content: { type: "text", text: `A fixed reply to: ${prompt?.type === "text" ? prompt.text : "?"}` },
    model: "fixed-reply-model",
    stopReason: "endTurn",
  };
});
client.setRequestHandler(ElicitRequestSchema, (request) => {
  served.elicitation.push(request.params);
  const params = request.params;
  if (params.mode === "url") {
    return { action: "accept" };
  }
  const properties = params.requestedSchema.properties;
  if ("interpretation" in properties) {
    return { action: "accept", content: { interpretation: properties.interpretation.oneOf[0].const } };
  }
  return {
    action: "accept",
    content: {
      name: "Ada Lovelace",
      check: true,
      email: "ada@example.com",
      homepage: "https://example.com/ada",
      birthdate: "1815-12-10",
      integer: 7,
      number: 2.5,
      untitledSingleSelectEnum: "Joey",
      untitledMultipleSelectEnum: ["Piano", "Violin"],
      titledSingleSelectEnum: "hero-3",
      titledMultipleSelectEnum: ["fish-2"],
      legacyTitledEnum: "pet-2",
    },
  };
});
const logs = [];
client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
  logs.push(notification.params);
});
const updated = [];
client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
  updated.push(notification.params.uri);
});
const clientErrors = [];
client.onerror = (error) => clientErrors.push(error.message);

/** Waits (up to 5 s) until `condition` holds. */
async function until(condition, what) {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(10);
  }
}

function textOf(result) {
  return result.content.filter((block) => block.type === "text").map((block) => block.text).join("\n");
}

const call = (name, args = {}) => client.callTool({ name, arguments: args });

const steps = [
  ["initialize; the server registers the tools the client's capabilities allow, then asks roots/list", async () => {
    await client.connect(transport);
    assert.equal(transport.protocolVersion, "2025-11-25");
    await until(() => served.roots === 1 && logs.length === 1, "roots/list and its log message");
  }],
  ["ping", async () => assert.deepEqual(await client.ping(), {})],
  ["logging/setLevel", async () => assert.deepEqual(await client.setLoggingLevel("debug"), {})],
  ["tools/list", async () => {
    const { tools } = await client.listTools();
    assert.ok(tools.length >= 17, `${tools.length} tools`);
  }],
  ["echo", async () => assert.equal(textOf(await call("echo", { message: "hello, everything" })), "Echo: hello, everything")],
  ["get-sum", async () => assert.match(textOf(await call("get-sum", { a: 2, b: 3 })), /5/)],
  ["get-annotated-message", async () => {
    const result = await call("get-annotated-message", { messageType: "success", includeImage: true });
    assert.ok(result.content.some((block) => block.type === "image"));
  }],
  ["get-resource-links", async () => {
    const result = await call("get-resource-links", { count: 2 });
    assert.equal(result.content.filter((block) => block.type === "resource_link").length, 2);
  }],
  ["get-resource-reference", async () => {
    const result = await call("get-resource-reference", { resourceType: "Text", resourceId: 3 });
    assert.ok(result.content.some((block) => block.type === "resource"));
  }],
  ["get-structured-content", async () => {
    const result = await call("get-structured-content", { location: "Chicago" });
    assert.equal(typeof result.structuredContent, "object");
  }],
  ["get-tiny-image", async () => assert.ok((await call("get-tiny-image")).content.some((block) => block.type === "image"))],
  ["gzip-file-as-resource (a data: URI, no network), as a link then read", async () => {
    const data = `data:text/plain;base64,${Buffer.from("Hello, gzip!\n").toString("base64")}`;
    const result = await call("gzip-file-as-resource", { name: "hello.txt.gz", data });
    const link = result.content.find((block) => block.type === "resource_link");
    assert.ok(link, textOf(result));
    const read = await client.readResource({ uri: link.uri });
    assert.equal(read.contents[0].mimeType, "application/gzip");
  }],
  ["gzip-file-as-resource, inline", async () => {
    const data = `data:text/plain;base64,${Buffer.from("Inline gzip.\n").toString("base64")}`;
    const result = await call("gzip-file-as-resource", { name: "inline.txt.gz", data, outputType: "resource" });
    assert.ok(result.content.some((block) => block.type === "resource"));
  }],
  ["trigger-long-running-operation with progress", async () => {
    const progress = [];
    const result = await client.callTool({ name: "trigger-long-running-operation", arguments: { duration: 0.5, steps: 5 } }, CallToolResultSchema, {
      onprogress: (p) => progress.push(p.progress),
    });
    // All five are on the wire before the result, but the SDK's client
    // handles a notification a tick later than a response read with it: the
    // last one may come after the request is settled and be reported as an
    // unknown progress token.
    assert.deepEqual(progress, [1, 2, 3, 4, 5].slice(0, progress.length));
    assert.ok(progress.length >= 4, `progress: ${progress}`);
    assert.match(textOf(result), /completed/);
  }],
  ["trigger-long-running-operation cancelled after two progress notifications", async () => {
    const controller = new AbortController();
    const progress = [];
    const pending = client.callTool({ name: "trigger-long-running-operation", arguments: { duration: 1, steps: 5 } }, CallToolResultSchema, {
      signal: controller.signal,
      onprogress: (p) => {
        progress.push(p.progress);
        if (progress.length === 2) {
          controller.abort("the user stopped it");
        }
      },
    });
    await assert.rejects(pending);
    // The tool goes on and its last progress notifications still arrive.
    await sleep(900);
  }],
  ["toggle-simulated-logging on (one message now) and off", async () => {
    const before = logs.length;
    await call("toggle-simulated-logging");
    await until(() => logs.length > before, "a simulated log message");
    await call("toggle-simulated-logging");
  }],
  ["resources/subscribe", async () => {
    assert.deepEqual(await client.subscribeResource({ uri: "demo://resource/static/document/startup.md" }), {});
  }],
  ["toggle-subscriber-updates on (one update now) and off", async () => {
    await call("toggle-subscriber-updates");
    await until(() => updated.length > 0, "notifications/resources/updated");
    await call("toggle-subscriber-updates");
  }],
  ["resources/unsubscribe", async () => {
    assert.deepEqual(await client.unsubscribeResource({ uri: "demo://resource/static/document/startup.md" }), {});
  }],
  ["get-roots-list", async () => assert.match(textOf(await call("get-roots-list")), /file:\/\/\/workspace\/project/)],
  ["notifications/roots/list_changed; the server asks roots/list again", async () => {
    roots = [...roots, { uri: "file:///workspace/docs", name: "docs" }];
    const before = served.roots;
    await client.sendRootsListChanged();
    await until(() => served.roots === before + 1, "roots/list");
    await until(() => logs.some((l) => String(l.data).includes("2 root(s)")), "the roots log message");
  }],
  ["trigger-sampling-request", async () => {
    const result = await call("trigger-sampling-request", { prompt: "Name a prime number.", maxTokens: 20 });
    assert.match(textOf(result), /A fixed reply to/);
  }],
  ["trigger-elicitation-request (form)", async () => {
    const result = await call("trigger-elicitation-request");
    assert.match(textOf(result), /Ada Lovelace/);
  }],
  ["trigger-url-elicitation (request path)", async () => {
    const result = await call("trigger-url-elicitation", { url: "https://example.com/authorize", elicitationId: "elicitation-1" });
    assert.match(textOf(result), /completed the URL elicitation/);
  }],
  ["trigger-url-elicitation (error path: -32042), then the retry", async () => {
    const args = { url: "https://example.com/authorize", elicitationId: "elicitation-2", errorPath: true };
    const error = await call("trigger-url-elicitation", args).then(
      (result) => assert.fail(`expected -32042, got ${JSON.stringify(result)}`),
      (e) => e,
    );
    assert.ok(error instanceof McpError && error.code === ErrorCode.UrlElicitationRequired, String(error));
    assert.match(textOf(await call("trigger-url-elicitation", args)), /completed the URL elicitation/);
  }],
  ["simulate-research-query as a task, with an elicitation during tasks/result", async () => {
    const created = await client.request(
      { method: "tools/call", params: { name: "simulate-research-query", arguments: { topic: "python", ambiguous: true }, task: { ttl: 60000 } } },
      CreateTaskResultSchema,
    );
    const { taskId } = created.task;
    const status = await client.experimental.tasks.getTask(taskId);
    assert.equal(status.taskId, taskId);
    const { tasks } = await client.experimental.tasks.listTasks();
    assert.ok(tasks.some((task) => task.taskId === taskId));
    await sleep(2500); // until the task asks for input
    const result = await within(15000, "tasks/result", client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema));
    assert.match(textOf(result), /python/i);
  }],
  ["simulate-research-query as a task, cancelled", async () => {
    const created = await client.request(
      { method: "tools/call", params: { name: "simulate-research-query", arguments: { topic: "rust" }, task: { ttl: 60000 } } },
      CreateTaskResultSchema,
    );
    const cancelled = await client.experimental.tasks.cancelTask(created.task.taskId);
    assert.equal(cancelled.status, "cancelled");
  }],
  ["simulate-research-query without a task (the SDK's server answers a tool error quoting -32601)", async () => {
    // `client.request`: `callTool` refuses a required-task tool before sending.
    const result = await client.request(
      { method: "tools/call", params: { name: "simulate-research-query", arguments: { topic: "go" } } },
      CallToolResultSchema,
    );
    assert.equal(result.isError, true);
  }],
  ["an unknown tool (the SDK's server answers a tool error, not -32602)", async () => {
    const result = await call("no-such-tool");
    assert.equal(result.isError, true);
  }],
  ["invalid arguments (a tool error)", async () => {
    const result = await call("get-sum", { a: "two", b: 3 });
    assert.equal(result.isError, true);
  }],
  ["resources/list", async () => {
    const { resources } = await client.listResources();
    assert.ok(resources.some((r) => r.uri === "demo://resource/static/document/startup.md"));
  }],
  ["resources/templates/list", async () => {
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.equal(resourceTemplates.length, 2);
  }],
  ["resources/read: a static document, a dynamic text and a dynamic blob", async () => {
    assert.equal(typeof (await client.readResource({ uri: "demo://resource/static/document/startup.md" })).contents[0].text, "string");
    assert.match((await client.readResource({ uri: "demo://resource/dynamic/text/1" })).contents[0].text, /Resource 1/);
    assert.equal(typeof (await client.readResource({ uri: "demo://resource/dynamic/blob/2" })).contents[0].blob, "string");
  }],
  ["resources/read of an unknown resource", async () => {
    await assert.rejects(client.readResource({ uri: "demo://resource/static/document/missing.md" }), McpError);
  }],
  ["prompts/list", async () => assert.equal((await client.listPrompts()).prompts.length, 4)],
  ["prompts/get of each prompt", async () => {
    await client.getPrompt({ name: "simple-prompt" });
    await client.getPrompt({ name: "args-prompt", arguments: { city: "Lisbon", state: "Lisboa" } });
    await client.getPrompt({ name: "completable-prompt", arguments: { department: "Engineering", name: "Alice" } });
    await client.getPrompt({ name: "resource-prompt", arguments: { resourceType: "Text", resourceId: "4" } });
  }],
  ["prompts/get with a missing argument", async () => {
    await assert.rejects(client.getPrompt({ name: "args-prompt", arguments: {} }), McpError);
  }],
  ["completion/complete: a prompt argument, one with context, a resource template variable", async () => {
    const department = await client.complete({ ref: { type: "ref/prompt", name: "completable-prompt" }, argument: { name: "department", value: "E" } });
    assert.deepEqual(department.completion.values, ["Engineering"]);
    const name = await client.complete({
      ref: { type: "ref/prompt", name: "completable-prompt" },
      argument: { name: "name", value: "" },
      context: { arguments: { department: "Sales" } },
    });
    assert.deepEqual(name.completion.values, ["David", "Eve", "Frank"]);
    const id = await client.complete({
      ref: { type: "ref/resource", uri: "demo://resource/dynamic/text/{resourceId}" },
      argument: { name: "resourceId", value: "7" },
    });
    assert.deepEqual(id.completion.values, ["7"]);
  }],
  ["logging/setLevel error", async () => assert.deepEqual(await client.setLoggingLevel("error"), {})],
];

let failed = false;
for (const [name, step] of steps) {
  try {
    await within(20000, name, step());
    console.log(`ok   ${name}`);
  } catch (error) {
    failed = true;
    console.error(`FAIL ${name}: ${error.stack ?? error}`);
    break;
  }
}
await client.close().catch(() => {});
await peer.close();
transcript.close();
console.log(`transcript: ${transcriptPath} (${transcript.count} messages)`);
if (clientErrors.length > 0) {
  console.log(`the client reported:\n  ${clientErrors.join("\n  ")}`);
}
if (failed) {
  console.error(`server stderr:\n${peer.stderr()}`);
}
process.exit(failed ? 1 : 0);
