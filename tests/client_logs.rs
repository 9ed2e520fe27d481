//! The tracing output of a request: one span per request with provider, operation and
//! model, retries logged, validation warnings logged (the request still goes), and never
//! the API key. In its own test binary because tracing
//! caches, per process, whether an event is enabled, and other tests run without a
//! subscriber.

mod support;

use support::{Answer, COMPLETION, KEY, Server, chat_request, vertexkey};

#[tokio::test]
async fn the_key_stays_out_of_the_logs() {
    use std::sync::{Arc, Mutex};
    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Capture {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let fast = |status| Answer::json(status, "{}").header("retry-after-ms", "1");
    let server = Server::start(vec![fast(500), Answer::json(200, COMPLETION)]).await;
    modelgate::VertexKeyClient::new(vertexkey(&server))
        .unwrap()
        .chat()
        .create(&chat_request("someone/claude-opus-9"))
        .await
        .unwrap();
    // A parameter VertexKey does not document: logged as a warning, and sent.
    let documented_model = modelgate::chat::ChatCompletionRequest {
        seed: Some(7),
        ..chat_request("aws/glm-5")
    };
    let answered = Server::start(vec![Answer::json(200, COMPLETION)]).await;
    modelgate::VertexKeyClient::new(vertexkey(&answered))
        .unwrap()
        .chat()
        .create(&documented_model)
        .await
        .unwrap();
    assert_eq!(answered.hits(), 1);
    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("retrying after 500"), "{logs}");
    assert!(logs.contains("not in the catalog"), "{logs}");
    assert!(
        logs.lines().any(|l| l.contains("WARN")
            && l.contains("code=\"undocumented_parameter\"")
            && l.contains("pointer=/seed")
            && l.contains("`seed` is not documented for aws/glm-5")),
        "{logs}"
    );
    assert!(
        logs.contains("provider=\"vertexkey\"") || logs.contains("provider=vertexkey"),
        "{logs}"
    );
    assert!(
        logs.contains("model=\"someone/claude-opus-9\"")
            || logs.contains("model=someone/claude-opus-9"),
        "{logs}"
    );
    // The span's outcome fields, on the event that closes it.
    for field in [
        "status=200",
        "retries=1",
        "latency_ms=",
        "operation=\"create_chat_completion\"",
    ] {
        assert!(logs.contains(field), "{field} missing from:\n{logs}");
    }
    assert!(!logs.contains(KEY), "{logs}");
}
