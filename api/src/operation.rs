//! The gateways' operations as their OpenAPI documents give them (generated into each
//! provider module's `operations`): what modelgate's runtime sends, so that no method or
//! path is written by hand.

/// One operation of a gateway's OpenAPI document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The document's `operationId` (`getVideo`).
    pub id: &'static str,
    /// The snake_case name the generated client's method has (`get_video`).
    pub name: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path below the base URL, with its parameters in braces (`/videos/{video_id}`).
    pub path: &'static str,
    /// Whether the document gives a `text/event-stream` answer (the call may stream).
    pub streams: bool,
}

impl Operation {
    /// The path with each `{parameter}` replaced, in order, by `args` percent-encoded as
    /// a path segment (as the generated clients encode them); `None` when the number of
    /// arguments is not the number of parameters.
    ///
    /// ```
    /// let get_video = modelgate_api::vertexkey::operations::GET_VIDEO;
    /// assert_eq!(get_video.path, "/videos/{video_id}");
    /// assert_eq!(get_video.path_with(&["v 1/2"]).unwrap(), "/videos/v%201%2F2");
    /// assert_eq!(get_video.path_with(&[]), None);
    /// ```
    pub fn path_with(&self, args: &[&str]) -> Option<String> {
        let mut out = String::with_capacity(self.path.len());
        let mut rest = self.path;
        let mut args = args.iter();
        while let Some(open) = rest.find('{') {
            let close = open + rest[open..].find('}')?;
            out.push_str(&rest[..open]);
            out.push_str(&progenitor_client::encode_path(args.next()?));
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        args.next().is_none().then_some(out)
    }
}
