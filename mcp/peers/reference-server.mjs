// A small MCP server built with the official SDK's `McpServer`, offering what
// `official-client.mjs` expects of the example server, so that the client
// script can be checked against a known-good peer:
//
//   node official-client.mjs -- node reference-server.mjs
//
// Tools `echo {message}`, `add {a, b}` (text and `structuredContent: {sum}`),
// `sample {prompt}` (asks the client `sampling/createMessage`), `slow {steps}`
// (a progress notification per step, 100 ms apart, stops when cancelled);
// the static text resource `example://greeting` (subscribable); the prompt
// `greet` with one argument `name`, completed from a list; logging (a
// `notifications/message` after each `logging/setLevel`); and one `ping` to
// the client after `notifications/initialized`.
//
// Where the SDK's server departs from the 2025-11-25 specification it is
// corrected here: a call of an unknown tool is the protocol error -32602
// (the SDK answers a tool result with `isError: true`), and so is a
// `tools/call` whose `arguments` is not an object (the SDK answers -32603).

import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { completable } from "@modelcontextprotocol/sdk/server/completable.js";
import {
  CreateMessageResultSchema,
  ErrorCode,
  McpError,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

const NAMES = ["Alice", "Bob", "Carol", "Dave"];
const GREETING = "Hello from the reference server!";

const server = new McpServer(
  { name: "reference-server", version: "0.0.0" },
  { capabilities: { logging: {}, resources: { subscribe: true } } },
);

server.registerTool(
  "echo",
  { description: "Echoes the message", inputSchema: { message: z.string() } },
  async ({ message }) => ({ content: [{ type: "text", text: message }] }),
);

server.registerTool(
  "add",
  {
    description: "Adds two numbers",
    inputSchema: { a: z.number(), b: z.number() },
    outputSchema: { sum: z.number() },
  },
  async ({ a, b }) => ({
    content: [{ type: "text", text: String(a + b) }],
    structuredContent: { sum: a + b },
  }),
);

server.registerTool(
  "sample",
  { description: "Asks the client's model to answer the prompt", inputSchema: { prompt: z.string() } },
  async ({ prompt }, extra) => {
    const result = await extra.sendRequest(
      {
        method: "sampling/createMessage",
        params: { messages: [{ role: "user", content: { type: "text", text: prompt } }], maxTokens: 100 },
      },
      CreateMessageResultSchema,
    );
    const text = result.content.type === "text" ? result.content.text : JSON.stringify(result.content);
    return { content: [{ type: "text", text }] };
  },
);

server.registerTool(
  "slow",
  { description: "Counts to `steps`, a progress notification per step", inputSchema: { steps: z.number().int().min(1) } },
  async ({ steps }, extra) => {
    const token = extra._meta?.progressToken;
    for (let step = 1; step <= steps; step += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (extra.signal.aborted) {
        return { content: [{ type: "text", text: `cancelled at step ${step}` }] };
      }
      if (token !== undefined) {
        await extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: step, total: steps } });
      }
    }
    return { content: [{ type: "text", text: `done: ${steps} steps` }] };
  },
);

server.registerResource(
  "greeting",
  "example://greeting",
  { mimeType: "text/plain", description: "A static greeting" },
  async (uri) => ({ contents: [{ uri: uri.href, mimeType: "text/plain", text: GREETING }] }),
);

// Unused by the client; here so that `resources/templates/list` has something.
server.registerResource(
  "greeting-for",
  new ResourceTemplate("example://greeting/{name}", { list: undefined }),
  { mimeType: "text/plain" },
  async (uri, { name }) => ({ contents: [{ uri: uri.href, mimeType: "text/plain", text: `Hello, ${name}!` }] }),
);

server.registerPrompt(
  "greet",
  {
    description: "Greets someone",
    argsSchema: { name: completable(z.string().describe("Who to greet"), (value) => NAMES.filter((n) => n.startsWith(value))) },
  },
  ({ name }) => ({ messages: [{ role: "user", content: { type: "text", text: `Please greet ${name}.` } }] }),
);

const subscriptions = new Set();
server.server.setRequestHandler(SubscribeRequestSchema, async ({ params }) => {
  subscriptions.add(params.uri);
  return {};
});
server.server.setRequestHandler(UnsubscribeRequestSchema, async ({ params }) => {
  subscriptions.delete(params.uri);
  return {};
});

// The spec's protocol errors for `tools/call`, ahead of the SDK's handler.
const handlers = server.server._requestHandlers;
const callTool = handlers.get("tools/call");
const setLevel = handlers.get("logging/setLevel");
const tools = new Set(["echo", "add", "sample", "slow"]);
handlers.set("tools/call", async (request, extra) => {
  const { name, arguments: args } = request.params ?? {};
  if (args !== undefined && (typeof args !== "object" || args === null || Array.isArray(args))) {
    throw new McpError(ErrorCode.InvalidParams, "`arguments` must be an object");
  }
  if (typeof name === "string" && !tools.has(name)) {
    throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
  }
  return callTool(request, extra);
});
handlers.set("logging/setLevel", async (request, extra) => {
  const result = await setLevel(request, extra);
  setTimeout(() => {
    void server.sendLoggingMessage({ level: "info", logger: "reference-server", data: `log level set to ${request.params.level}` });
  }, 10);
  return result;
});

server.server.oninitialized = () => {
  void server.server.ping().catch((error) => console.error(`ping failed: ${error.message}`));
};

await server.connect(new StdioServerTransport());
