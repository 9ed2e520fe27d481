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
    /// The path with each `{parameter}` replaced, in order, by `args`, each passed through
    /// `encode` (modelgate passes progenitor's path-segment encoding, the one its generated
    /// clients use); `None` when the number of arguments is not the number of parameters.
    ///
    /// ```
    /// let get_video = modelgate_api::vertexkey::operations::GET_VIDEO;
    /// assert_eq!(get_video.path, "/videos/{video_id}");
    /// let encode = |s: &str| s.replace('/', "%2F");
    /// assert_eq!(get_video.path_with(&["v1/2"], encode).unwrap(), "/videos/v1%2F2");
    /// assert_eq!(get_video.path_with(&[], encode), None);
    /// ```
    pub fn path_with(&self, args: &[&str], encode: impl Fn(&str) -> String) -> Option<String> {
        let mut out = String::with_capacity(self.path.len());
        let mut rest = self.path;
        let mut args = args.iter();
        while let Some(open) = rest.find('{') {
            let close = open + rest[open..].find('}')?;
            out.push_str(&rest[..open]);
            out.push_str(&encode(args.next()?));
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        args.next().is_none().then_some(out)
    }
}
