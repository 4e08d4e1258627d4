//! Real messages decoded and encoded again.

use mcp_defs::*;
use protocol_macros::RequestSet;
use serde_json::Value;

fn value(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// Decodes `text` as a client request and encodes it again.
fn client_request(text: &str) -> (ClientRequest, String) {
    let request = ClientRequest::decode(text.as_bytes()).unwrap_or_else(|err| panic!("{err}"));
    let encoded = String::from_utf8(request.encode().unwrap()).unwrap();
    (request, encoded)
}

/// Decodes `text` as a request of a gated method (which only a connection
/// that negotiated it sends again), and its params encoded again.
fn gated_client_request(text: &str) -> (ClientRequest, String) {
    let request = ClientRequest::decode(text.as_bytes()).unwrap_or_else(|err| panic!("{err}"));
    let params = match &request {
        ClientRequest::ListTools { params, .. } => serde_json::to_string(params),
        ClientRequest::CallTool { params, .. } => serde_json::to_string(params),
        ClientRequest::ReadResource { params, .. } => serde_json::to_string(params),
        other => panic!("{other:?}"),
    };
    (request, params.unwrap())
}

/// The text of the `params` member of `text`.
fn params_text(text: &str) -> &str {
    let start = text.find(r#""params":"#).unwrap() + r#""params":"#.len();
    &text[start..text.len() - 1]
}

#[test]
fn initialize_as_the_typescript_sdk_sends_it() {
    let sent = r#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{"sampling":{},"elicitation":{"form":{},"url":{}},"roots":{"listChanged":true}},"clientInfo":{"name":"c","version":"1"}}}"#;
    let (request, encoded) = client_request(sent);
    let ClientRequest::Initialize { id, params } = &request else {
        panic!("{request:?}");
    };
    assert_eq!(*id, RequestId::Integer(0));
    assert_eq!(params.protocol_version, "2025-11-25");
    let capabilities = &params.capabilities;
    assert_eq!(
        capabilities.roots.as_ref().unwrap().list_changed,
        Some(true)
    );
    assert!(capabilities.elicitation.as_ref().unwrap().url.is_some());
    // The same message, in the order the encoder writes members.
    assert_eq!(value(&encoded), value(sent));
    let ours = r#"{"jsonrpc":"2.0","method":"initialize","id":0,"params":{"protocolVersion":"2025-11-25","capabilities":{"roots":{"listChanged":true},"sampling":{},"elicitation":{"form":{},"url":{}}},"clientInfo":{"name":"c","version":"1"}}}"#;
    assert_eq!(client_request(ours).1, ours);
}

#[test]
fn methods_with_optional_params_go_without_them() {
    let (request, encoded) = client_request(r#"{"jsonrpc":"2.0","method":"ping","id":1}"#);
    assert!(matches!(request, ClientRequest::Ping { params: None, .. }));
    assert_eq!(encoded, r#"{"jsonrpc":"2.0","method":"ping","id":1}"#);
    // As the SDK orders them, and with params: both still decode.
    let (request, _) = client_request(r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#);
    assert!(matches!(request, ClientRequest::Ping { params: None, .. }));
    let with = r#"{"jsonrpc":"2.0","method":"tools/list","id":"a","params":{"cursor":"c2"}}"#;
    let (request, encoded) = gated_client_request(with);
    let ClientRequest::ListTools {
        params: Some(params),
        ..
    } = &request
    else {
        panic!("{request:?}");
    };
    assert_eq!(params.cursor.as_deref(), Some("c2"));
    assert_eq!(encoded, r#"{"cursor":"c2"}"#);

    let initialized = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;
    let notification = ClientNotification::decode(initialized.as_bytes()).unwrap();
    assert!(matches!(
        notification,
        ClientNotification::Initialized(None)
    ));
    assert_eq!(notification.encode().unwrap(), initialized.as_bytes());

    // Params a method requires are still required.
    let err =
        ClientRequest::decode(br#"{"jsonrpc":"2.0","method":"tools/call","id":2}"#).unwrap_err();
    assert_eq!(err.code.code(), -32602);
}

#[test]
fn a_tool_result_with_content_blocks_and_structured_content() {
    let text = r#"{"content":[{"type":"text","text":"22.5 °C"},{"type":"image","data":"iVBORw0KGgo=","mimeType":"image/png"},{"type":"resource_link","name":"log","uri":"file:///tmp/log.txt","mimeType":"text/plain"},{"type":"resource","resource":{"uri":"file:///a.txt","text":"a"}},{"type":"resource","resource":{"uri":"file:///b.bin","blob":"AAE="}}],"structuredContent":{"temperature":22.5,"unit":"celsius"},"isError":false}"#;
    let response = ClientRequest::decode_response_text("tools/call", text).unwrap();
    let ClientResponse::CallTool(CallToolResponse::Result(result)) = &response else {
        panic!("{response:?}");
    };
    assert!(matches!(&result.content[0], ContentBlock::Text(t) if t.text == "22.5 °C"));
    assert!(matches!(&result.content[1], ContentBlock::Image(_)));
    assert!(matches!(&result.content[2], ContentBlock::ResourceLink(_)));
    assert!(matches!(
        &result.content[3],
        ContentBlock::Resource(EmbeddedResource {
            resource: ResourceContents::Text(_),
            ..
        })
    ));
    assert!(matches!(
        &result.content[4],
        ContentBlock::Resource(EmbeddedResource {
            resource: ResourceContents::Blob(_),
            ..
        })
    ));
    assert_eq!(serde_json::to_string(&response).unwrap(), text);
}

#[test]
fn a_standalone_content_type_writes_its_type() {
    let block = TextContent {
        kind: TextType::Value,
        text: "hi".into(),
        annotations: None,
        meta: None,
    };
    assert_eq!(
        serde_json::to_string(&block).unwrap(),
        r#"{"type":"text","text":"hi"}"#
    );
    // Another type's tag is refused, whatever the other members.
    assert!(serde_json::from_str::<TextContent>(r#"{"type":"image","text":"hi"}"#).is_err());
}

#[test]
fn a_tool_call_answered_with_a_task() {
    let request = r#"{"jsonrpc":"2.0","method":"tools/call","id":3,"params":{"name":"slow","arguments":{"n":1},"task":{"ttl":60000}}}"#;
    let (decoded, encoded) = gated_client_request(request);
    assert_eq!(encoded, params_text(request));
    let ClientRequest::CallTool { params, .. } = &decoded else {
        panic!("{decoded:?}");
    };
    assert_eq!(params.task.as_ref().unwrap().ttl, Some(60000));
    let text = r#"{"task":{"taskId":"t1","status":"working","createdAt":"2025-11-25T10:00:00Z","lastUpdatedAt":"2025-11-25T10:00:00Z","ttl":60000,"pollInterval":1000}}"#;
    let response = ClientRequest::decode_response_text("tools/call", text).unwrap();
    let ClientResponse::CallTool(CallToolResponse::Task(created)) = &response else {
        panic!("{response:?}");
    };
    assert_eq!(created.task.status, TaskStatus::Working);
    assert_eq!(serde_json::to_string(&response).unwrap(), text);
    // `ttl` is required, and null means unlimited.
    let unlimited = r#"{"task":{"taskId":"t1","status":"completed","createdAt":"x","lastUpdatedAt":"y","ttl":null}}"#;
    let task: CreateTaskResult = serde_json::from_str(unlimited).unwrap();
    assert_eq!(task.task.ttl, None);
    assert_eq!(serde_json::to_string(&task).unwrap(), unlimited);
}

#[test]
fn elicitation_params_by_mode() {
    let url = r#"{"mode":"url","message":"Sign in","elicitationId":"e1","url":"https://example.com/auth"}"#;
    let params: ElicitRequestParams = serde_json::from_str(url).unwrap();
    assert!(matches!(params, ElicitRequestParams::Url(_)));
    assert_eq!(serde_json::to_string(&params).unwrap(), url);
    let form = r#"{"message":"Name?","requestedSchema":{"type":"object","properties":{"color":{"type":"string","enum":["red","blue"],"enumNames":["Red","Blue"]},"name":{"type":"string","minLength":1},"size":{"type":"string","enum":["s","m"]}},"required":["name"]}}"#;
    let params: ElicitRequestParams = serde_json::from_str(form).unwrap();
    let ElicitRequestParams::Form(form_params) = &params else {
        panic!("{params:?}");
    };
    let properties = &form_params.requested_schema.properties;
    assert!(matches!(
        properties["color"],
        PrimitiveSchemaDefinition::LegacyTitled(_)
    ));
    assert!(matches!(
        properties["name"],
        PrimitiveSchemaDefinition::String(_)
    ));
    assert!(matches!(
        properties["size"],
        PrimitiveSchemaDefinition::UntitledSingleSelect(_)
    ));
    assert_eq!(serde_json::to_string(&params).unwrap(), form);
}

#[test]
fn open_objects_keep_what_they_do_not_name() {
    let text = r#"{"_meta":{"x":1},"extra":[true]}"#;
    let empty: EmptyResult = serde_json::from_str(text).unwrap();
    assert_eq!(serde_json::to_string(&empty).unwrap(), text);
    let tool = r#"{"name":"t","inputSchema":{"type":"object","properties":{"n":{"type":"number"}},"additionalProperties":false}}"#;
    let decoded: Tool = serde_json::from_str(tool).unwrap();
    assert_eq!(serde_json::to_string(&decoded).unwrap(), tool);
    let request = r#"{"jsonrpc":"2.0","method":"resources/read","id":4,"params":{"uri":"file:///a","_meta":{"progressToken":"p","vendor/x":{}}}}"#;
    let (decoded, encoded) = gated_client_request(request);
    let ClientRequest::ReadResource { params, .. } = &decoded else {
        panic!("{decoded:?}");
    };
    let meta = params.meta.as_ref().unwrap();
    assert_eq!(meta.progress_token, Some(ProgressToken::String("p".into())));
    assert!(meta.members.contains_key("vendor/x"));
    assert_eq!(encoded, params_text(request));
}
