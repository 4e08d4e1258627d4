// Our generated TypeScript client (mcp/generated/typescript/, compiled by
// `npm run build` to build/generated/typescript/) against the reference
// server `@modelcontextprotocol/server-everything` over stdio, one JSON
// message per line:
//
//   npm run build
//   node generated-client.mjs [--transcript out.jsonl] [--client path/to/index.js] [-- <server command> [args...]]
//
// Without a server command it starts the installed server-everything
// (`node …/server-everything/dist/index.js stdio`). `--client` loads the
// client from elsewhere than build/generated/typescript/index.js. Exits 0
// when every step passes, 1 with the failed step otherwise.
//
// The client declares sampling, elicitation (form and URL) and roots, so the
// server offers the tools that ask for them; its typed handlers answer the
// server's `ping`, `roots/list`, `sampling/createMessage` and
// `elicitation/create`. Every tool that needs no network is called (a tool
// listed that is not known here fails the run, so a new one is noticed).

import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { recordTransport, Transcript } from "./record.mjs";
import { parseCommandLine, sleep, spawnStdio, within } from "./stdio.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const { options, server: serverCommand } = parseCommandLine(process.argv.slice(2));
const clientModule = typeof options.client === "string" ? resolve(options.client) : join(HERE, "build/generated/typescript/index.js");
const { Client, JsonRpcError, CapabilityError } = await import(pathToFileURL(clientModule).href);

function everythingServer() {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("@modelcontextprotocol/server-everything/package.json");
  return [process.execPath, join(dirname(manifest), "dist/index.js"), "stdio"];
}

const [command, ...args] = serverCommand.length > 0 ? serverCommand : everythingServer();
const peer = spawnStdio(command, args, { env: {} });
const transcript = typeof options.transcript === "string" ? new Transcript(options.transcript) : undefined;
let wire = transcript === undefined ? peer.transport : recordTransport(peer.transport, transcript);

// The id of each request the client sends, by method, as they go out: the
// client does not hand the id of a request to its caller, and a cancellation
// names it.
const sentIds = [];
{
  const inner = wire;
  wire = {
    send(text) {
      const message = JSON.parse(text);
      if (message.method !== undefined && message.id !== undefined) {
        sentIds.push({ method: message.method, id: message.id });
      }
      return inner.send(text);
    },
    onMessage: (handler) => inner.onMessage(handler),
  };
}

const client = new Client(wire);
const problems = [];
client.onError((error, message) => problems.push(`${error.message}${message ? `: ${message.slice(0, 200)}` : ""}`));

// The server's requests, answered by typed handlers.
let roots = [{ uri: "file:///workspace/project", name: "project" }];
const served = { pings: 0, roots: 0, sampling: [], elicitation: [] };
client.onRequest("ping", () => {
  served.pings += 1;
  return {};
});
client.onRequest("roots/list", () => {
  served.roots += 1;
  return { roots };
});
client.onRequest("sampling/createMessage", (params) => {
  served.sampling.push(params);
  const last = params.messages.at(-1)?.content;
  return {
    role: "assistant",
    content: { type: "text", text: `A fixed reply to: ${last?.type === "text" ? last.text : "?"}` },
    model: "fixed-reply-model",
    stopReason: "endTurn",
  };
});
client.onRequest("elicitation/create", (params) => {
  served.elicitation.push(params);
  if (params.mode === "url") {
    return { action: "accept" };
  }
  const properties = params.requestedSchema.properties;
  if ("interpretation" in properties) {
    return { action: "accept", content: { interpretation: properties.interpretation.oneOf[0].const } };
  }
  return { action: "accept", content: { name: "Ada Lovelace", check: true, email: "ada@example.com", integer: 7 } };
});

// The server's notifications.
const notifications = [];
for (const method of [
  "notifications/message",
  "notifications/progress",
  "notifications/resources/updated",
  "notifications/resources/list_changed",
  "notifications/tools/list_changed",
  "notifications/tasks/status",
]) {
  client.onNotification(method, (params) => {
    notifications.push({ method, params });
  });
}
const received = (method) => notifications.filter((n) => n.method === method);

async function until(condition, what, ms = 5000) {
  const deadline = Date.now() + ms;
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

const callTool = (name, toolArguments = {}) => client.request("tools/call", { name, arguments: toolArguments });

const DATA = `data:text/plain;base64,${Buffer.from("Hello, gzip!\n").toString("base64")}`;

/**
 * Every tool server-everything may list, with how to call it without the
 * network and what to check; `null` for those not called (with why).
 */
const TOOLS = {
  echo: async () => assert.equal(textOf(await callTool("echo", { message: "hi" })), "Echo: hi"),
  "get-annotated-message": async () => {
    const result = await callTool("get-annotated-message", { messageType: "error", includeImage: true });
    assert.ok(result.content.some((block) => block.type === "image" && block.annotations !== undefined));
  },
  "get-env": async () => assert.equal(typeof JSON.parse(textOf(await callTool("get-env"))), "object"),
  "get-resource-links": async () => {
    const result = await callTool("get-resource-links", { count: 3 });
    assert.equal(result.content.filter((block) => block.type === "resource_link").length, 3);
  },
  "get-resource-reference": async () => {
    const result = await callTool("get-resource-reference", { resourceType: "Blob", resourceId: 2 });
    assert.ok(result.content.some((block) => block.type === "resource" && typeof block.resource.blob === "string"));
  },
  "get-structured-content": async () => {
    const result = await callTool("get-structured-content", { location: "New York" });
    assert.equal(typeof result.structuredContent.temperature, "number");
  },
  "get-sum": async () => assert.match(textOf(await callTool("get-sum", { a: 20, b: 22 })), /42/),
  "get-tiny-image": async () => assert.ok((await callTool("get-tiny-image")).content.some((block) => block.type === "image")),
  "gzip-file-as-resource": async () => {
    // A data: URI: the default argument is an https URL.
    const result = await callTool("gzip-file-as-resource", { name: "hello.txt.gz", data: DATA });
    const link = result.content.find((block) => block.type === "resource_link");
    assert.ok(link, textOf(result));
    const read = await client.request("resources/read", { uri: link.uri });
    assert.equal(read.contents[0].mimeType, "application/gzip");
  },
  "toggle-simulated-logging": async () => {
    const before = received("notifications/message").length;
    await callTool("toggle-simulated-logging");
    await until(() => received("notifications/message").length > before, "a simulated log message");
    await callTool("toggle-simulated-logging");
  },
  "toggle-subscriber-updates": async () => {
    const uri = "demo://resource/static/document/structure.md";
    assert.deepEqual(await client.request("resources/subscribe", { uri }), {});
    await callTool("toggle-subscriber-updates");
    await until(() => received("notifications/resources/updated").some((n) => n.params.uri === uri), "notifications/resources/updated");
    await callTool("toggle-subscriber-updates");
    assert.deepEqual(await client.request("resources/unsubscribe", { uri }), {});
  },
  "trigger-long-running-operation": async () => {
    // With a progress token: a notification per step.
    const progressToken = "progress-1";
    const result = await client.request("tools/call", {
      name: "trigger-long-running-operation",
      arguments: { duration: 0.3, steps: 3 },
      _meta: { progressToken },
    });
    assert.match(textOf(result), /completed/);
    const progress = received("notifications/progress").filter((n) => n.params.progressToken === progressToken);
    assert.deepEqual(progress.map((n) => n.params.progress), [1, 2, 3]);
    // Cancelled after the first step: no answer comes.
    const cancelled = "progress-2";
    const pending = client.request("tools/call", {
      name: "trigger-long-running-operation",
      arguments: { duration: 0.6, steps: 3 },
      _meta: { progressToken: cancelled },
    });
    let settled = false;
    pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    const { id } = sentIds.at(-1);
    await until(() => received("notifications/progress").some((n) => n.params.progressToken === cancelled), "progress before cancelling");
    client.notify("notifications/cancelled", { requestId: id, reason: "no longer needed" });
    await sleep(700);
    assert.equal(settled, false, "a cancelled request is not answered");
  },
  "get-roots-list": async () => assert.match(textOf(await callTool("get-roots-list")), /file:\/\/\/workspace\/project/),
  "trigger-sampling-request": async () => {
    const result = await callTool("trigger-sampling-request", { prompt: "Name a colour.", maxTokens: 10 });
    assert.equal(served.sampling.length, 1);
    assert.match(textOf(result), /A fixed reply to/);
  },
  "trigger-elicitation-request": async () => {
    const result = await callTool("trigger-elicitation-request");
    assert.equal(served.elicitation.at(-1).requestedSchema.type, "object");
    assert.match(textOf(result), /Ada Lovelace/);
  },
  "trigger-url-elicitation": async () => {
    const result = await callTool("trigger-url-elicitation", { url: "https://example.com/consent", elicitationId: "consent-1" });
    assert.equal(served.elicitation.at(-1).mode, "url");
    assert.match(textOf(result), /completed the URL elicitation/);
    // The error path: -32042 with the elicitations it requires in `data`.
    const error = await callTool("trigger-url-elicitation", { url: "https://example.com/consent", elicitationId: "consent-2", errorPath: true }).then(
      (r) => assert.fail(`expected -32042, got ${JSON.stringify(r)}`),
      (e) => e,
    );
    assert.ok(error instanceof JsonRpcError, String(error));
    assert.equal(error.code, -32042);
    assert.equal(error.data.elicitations[0].mode, "url");
  },
  "simulate-research-query": async () => {
    const created = await client.request("tools/call", {
      name: "simulate-research-query",
      arguments: { topic: "python", ambiguous: true },
      task: { ttl: 60000 },
    });
    const { taskId } = created.task;
    assert.equal((await client.request("tasks/get", { taskId })).taskId, taskId);
    assert.ok((await client.request("tasks/list")).tasks.some((task) => task.taskId === taskId));
    const result = await within(15000, "tasks/result", client.request("tasks/result", { taskId }));
    assert.match(textOf(result), /python/i);
    assert.ok(served.elicitation.some((params) => params.requestedSchema?.properties?.interpretation !== undefined));
  },
  // Registered only when the client declares `tasks.requests.*`, which it does not.
  "trigger-sampling-request-async": null,
  "trigger-elicitation-request-async": null,
};

const steps = [
  ["nothing is declared before initialize", async () => {
    assert.equal(client.declares({ side: "server", path: ["tools"] }), false);
  }],
  ["initialize, then notifications/initialized", async () => {
    const result = await client.request("initialize", {
      protocolVersion: "2025-11-25",
      capabilities: { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } },
      clientInfo: { name: "generated-client", version: "0.0.0" },
    });
    assert.equal(result.protocolVersion, "2025-11-25");
    assert.equal(client.declares({ side: "server", path: ["resources", "subscribe"] }), true);
    assert.equal(client.declares({ side: "server", path: ["experimental"] }), false);
    assert.equal(client.declares({ side: "client", path: ["elicitation", "url"] }), true);
    client.notify("notifications/initialized");
    // The server then registers the tools the capabilities allow and asks for the roots.
    await until(() => served.roots === 1 && received("notifications/message").length === 1, "roots/list and its log message");
  }],
  ["ping", async () => assert.deepEqual(await client.request("ping"), {})],
  ["logging/setLevel", async () => assert.deepEqual(await client.request("logging/setLevel", { level: "debug" }), {})],
  ["tools/list, and a call of each tool that needs no network", async () => {
    const { tools } = await client.request("tools/list");
    const unknown = tools.map((tool) => tool.name).filter((name) => !(name in TOOLS));
    assert.deepEqual(unknown, [], "tools not known here");
    for (const tool of tools) {
      const check = TOOLS[tool.name];
      if (check !== null) {
        await within(20000, tool.name, check()).catch((error) => {
          throw new Error(`${tool.name}: ${error.message}`, { cause: error });
        });
        console.log(`       ${tool.name}`);
      }
    }
  }],
  ["an unknown tool", async () => {
    // The SDK's server answers a tool error (the specification: -32602).
    const outcome = await callTool("no-such-tool").then((result) => result, (error) => error);
    assert.ok(outcome instanceof JsonRpcError ? outcome.code === -32602 : outcome.isError === true, String(outcome));
  }],
  ["notifications/roots/list_changed; the server asks roots/list again", async () => {
    roots = [...roots, { uri: "file:///workspace/docs", name: "docs" }];
    const before = served.roots;
    client.notify("notifications/roots/list_changed");
    await until(() => served.roots === before + 1, "roots/list");
  }],
  ["resources/list, resources/templates/list, resources/read", async () => {
    const { resources } = await client.request("resources/list");
    assert.ok(resources.length >= 7);
    const { resourceTemplates } = await client.request("resources/templates/list");
    assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate).sort(), ["demo://resource/dynamic/blob/{resourceId}", "demo://resource/dynamic/text/{resourceId}"]);
    const doc = await client.request("resources/read", { uri: resources[0].uri });
    assert.equal(typeof doc.contents[0].text, "string");
    assert.match((await client.request("resources/read", { uri: "demo://resource/dynamic/text/5" })).contents[0].text, /Resource 5/);
    assert.equal(typeof (await client.request("resources/read", { uri: "demo://resource/dynamic/blob/5" })).contents[0].blob, "string");
  }],
  ["prompts/list, prompts/get", async () => {
    const { prompts } = await client.request("prompts/list");
    assert.deepEqual(prompts.map((p) => p.name).sort(), ["args-prompt", "completable-prompt", "resource-prompt", "simple-prompt"]);
    assert.ok((await client.request("prompts/get", { name: "simple-prompt" })).messages.length > 0);
    const args = await client.request("prompts/get", { name: "args-prompt", arguments: { city: "Porto" } });
    assert.match(args.messages[0].content.text, /Porto/);
    const embedded = await client.request("prompts/get", { name: "resource-prompt", arguments: { resourceType: "Blob", resourceId: "3" } });
    assert.equal(embedded.messages[1].content.type, "resource");
  }],
  ["completion/complete", async () => {
    const { completion } = await client.request("completion/complete", {
      ref: { type: "ref/prompt", name: "completable-prompt" },
      argument: { name: "name", value: "" },
      context: { arguments: { department: "Support" } },
    });
    assert.deepEqual(completion.values, ["John", "Kim", "Lee"]);
    const template = await client.request("completion/complete", {
      ref: { type: "ref/resource", uri: "demo://resource/dynamic/text/{resourceId}" },
      argument: { name: "resourceId", value: "12" },
    });
    assert.deepEqual(template.completion.values, ["12"]);
  }],
  ["no problems reported by the client", async () => {
    assert.deepEqual(problems, []);
  }],
];

let failed = false;
for (const [name, step] of steps) {
  try {
    await within(60000, name, step());
    console.log(`ok   ${name}`);
  } catch (error) {
    failed = true;
    console.error(`FAIL ${name}: ${error.stack ?? error}`);
    if (error instanceof CapabilityError) {
      console.error("(the client refused to send it: a capability it requires was not declared)");
    }
    break;
  }
}
client.close("the session is over");
await peer.close();
transcript?.close();
if (transcript !== undefined) {
  console.log(`transcript: ${transcript.path} (${transcript.count} messages)`);
}
if (failed) {
  console.error(`problems the client reported: ${problems.join(" | ") || "none"}\nserver stderr:\n${peer.stderr()}`);
}
process.exit(failed ? 1 : 0);
