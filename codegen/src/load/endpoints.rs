//! A provider's endpoints: each one's OpenAPI operation found and its request body
//! lowered to the generic rule tree that the models' rules are built on.

use super::{FileCtx, Loader};
use crate::catalog::Endpoint;
use crate::ir::{self, Node};
use crate::openapi::{self, OpenApiDoc};
use crate::spec_file::ProviderFile;
use modelgate_io::pointer::escape;

impl Loader<'_> {
    pub(super) fn endpoints(
        &mut self,
        cx: &FileCtx,
        def: &ProviderFile,
        doc: &OpenApiDoc,
    ) -> Vec<Endpoint> {
        let mut out = Vec::new();
        for (key, e) in &def.endpoints {
            let pointer = format!("/endpoints/{}", escape(key));
            let field = format!("endpoints.{key}.operation");
            let Some((method, path, op)) = openapi::find_operation(&doc.value, &e.operation) else {
                self.problems.push(
                    cx.at(&pointer),
                    None,
                    Some(&field),
                    format!(
                        "no operation with operationId `{}` in {}",
                        e.operation,
                        doc.file.display()
                    ),
                );
                continue;
            };
            let Some(schema) = openapi::request_schema(op) else {
                self.problems.push(
                    cx.at(&pointer),
                    None,
                    Some(&field),
                    format!(
                        "operation `{}` has no application/json request body",
                        e.operation
                    ),
                );
                continue;
            };
            let generic = match ir::lower(&doc.value, schema, &format!("{} {path}", method)) {
                Ok(Node::Object(o)) => o,
                Ok(_) => {
                    self.problems.push(
                        cx.at(&pointer),
                        None,
                        Some(&field),
                        "the request body must be an object",
                    );
                    continue;
                }
                Err(message) => {
                    self.problems
                        .push(cx.at(&pointer), None, Some(&field), message);
                    continue;
                }
            };
            if let Some(at) = &e.parameters_at {
                let mut probe = generic.clone();
                if let Err(message) = ir::object_at_mut(&mut probe, at) {
                    self.problems.push(
                        cx.at(&format!("{pointer}/parameters_at")),
                        None,
                        Some(&format!("endpoints.{key}.parameters_at")),
                        message,
                    );
                }
            }
            if let Some(source) = &e.billed_on_submit {
                self.check_source_at(source, cx.at(&format!("{pointer}/billed_on_submit")), None);
            }
            out.push(Endpoint {
                key: key.clone(),
                operation_id: e.operation.clone(),
                method,
                path,
                kind: e.kind,
                parameters_at: e.parameters_at.clone(),
                billed_on_submit: e.billed_on_submit.clone(),
                generic,
            });
        }
        out
    }
}
