//! `citelint server`: a language server (LSP over standard input and output) for editors.
//!
//! The rules load once; each open document is then checked as it is opened and edited,
//! from the editor's text rather than the file, and its diagnostics are published. A
//! document gets the configuration of its path, as `citelint check` would give it, and a
//! file the configuration excludes gets none. Saving a configuration or rule file (any
//! `.yaml`/`.yml`) reloads both and checks the open documents again.
//!
//! citelint's positions are (line, column in Unicode scalar values); they are converted
//! here, and nowhere else, to the encoding the editor agreed to: UTF-8 or UTF-32 when it
//! offers them, else UTF-16, the protocol's default.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Exit, Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, CodeDescription, DiagnosticRelatedInformation,
    DiagnosticSeverity, InitializeParams, Location, MessageType, NumberOrString,
    PositionEncodingKind, PublishDiagnosticsParams, Range, SaveOptions, ServerCapabilities,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, TextEdit, Uri, WorkspaceEdit,
};

use citelint::diagnostic::{Diagnostic, Severity};
use citelint::document::{Document, Format};
use citelint::engine;
use citelint::position::{Position, Span};
use citelint::report::RuleInfo;

use super::settings::{Resolved, Settings, absolute, shown};
use super::{EXIT_OK, Failure, LoadArgs, Loaded, load_rules};

/// The exit code of a session that did not end with `shutdown` then `exit`.
const EXIT_ABANDONED: i32 = 1;

/// Runs the server on standard input and output until the editor sends `exit`. The exit
/// code is 0 after a `shutdown` request, 1 otherwise, as the protocol asks.
pub fn run(load: &LoadArgs, today: Option<jiff::civil::Date>) -> Result<i32, Failure> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let (connection, io_threads) = Connection::stdio();
    let code = serve(&connection, cwd, load, today)?;
    // The writer thread ends once every sender of the connection is gone.
    drop(connection);
    io_threads
        .join()
        .map_err(|e| format!("language server transport: {e}"))?;
    Ok(code)
}

/// Serves one editor session on `connection`: the initialize handshake, then documents
/// until `exit` (or until the editor goes away). `cwd` is the root when the editor names
/// no workspace folder; `today`, when given, replaces the clock. Returns the exit code:
/// 0 when the session ended with `shutdown` then `exit`, 1 when it ended otherwise.
pub fn serve(
    connection: &Connection,
    cwd: PathBuf,
    load: &LoadArgs,
    today: Option<jiff::civil::Date>,
) -> Result<i32, String> {
    let protocol = |e: lsp_server::ProtocolError| format!("language server protocol: {e}");
    let (id, params) = connection.initialize_start().map_err(protocol)?;
    let params: InitializeParams = match serde_json::from_value(params) {
        Ok(params) => params,
        Err(e) => {
            // The editor is told why, rather than left waiting for an answer.
            let message = format!("bad initialize parameters: {e}");
            let response = Response::new_err(id, ErrorCode::InvalidParams as i32, message.clone());
            let _ = connection.sender.send(response.into());
            return Err(format!("language server protocol: {message}"));
        }
    };
    let encoding = Encoding::choose(&params);
    let root = workspace_root(&params).unwrap_or(cwd);
    let capabilities = ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": {"name": "citelint", "version": env!("CARGO_PKG_VERSION")},
    });
    connection.initialize_finish(id, result).map_err(protocol)?;
    let mut server = Server {
        connection,
        encoding,
        root,
        load: load.clone(),
        today,
        workspace: None,
        documents: HashMap::new(),
        stale: BTreeSet::new(),
        shown_errors: HashSet::new(),
    };
    server.reload();
    server.run().map_err(protocol)
}

/// The first workspace folder (or the deprecated root URI) the editor names, as a path.
fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    #[allow(deprecated)]
    let root_uri = params.root_uri.as_ref();
    params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|folder| &folder.uri)
        .or(root_uri)
        .and_then(file_path)
}

/// The local path of a `file:` URI.
fn file_path(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str())
        .ok()
        .filter(|url| url.scheme() == "file")?
        .to_file_path()
        .ok()
}

/// How positions count characters within a line, as agreed with the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units: the protocol's default, and what every editor supports.
    Utf16,
    /// Unicode scalar values: citelint's own columns.
    Utf32,
}

impl Encoding {
    /// The encoding to use: UTF-8 or UTF-32 when the editor offers one (no conversion
    /// cost), else UTF-16.
    fn choose(params: &InitializeParams) -> Encoding {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_deref())
            .unwrap_or_default();
        if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if offered.contains(&PositionEncodingKind::UTF32) {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    /// The length of `text` in this encoding's units.
    fn len(self, text: &str) -> usize {
        match self {
            Encoding::Utf8 => text.len(),
            Encoding::Utf16 => text.encode_utf16().count(),
            Encoding::Utf32 => text.chars().count(),
        }
    }
}

/// The rules and configuration of the workspace, loaded together.
struct Workspace {
    settings: Arc<Settings>,
    loaded: Loaded,
    /// How many configuration files the rules were loaded for: a document under a
    /// configuration met since may bring rule files in.
    configurations: usize,
    /// Where each rule's documentation is, for the editor to link.
    rule_urls: HashMap<String, Uri>,
}

impl Workspace {
    /// Loads the configuration of `root` and the rules. The configurations of other
    /// directories load as documents under them open (rather than by walking the whole
    /// workspace first, as `citelint check` does, which could take long in a large one).
    fn load(root: &Path, load: &LoadArgs) -> Result<Workspace, String> {
        let settings = Arc::new(Settings::new(root.to_path_buf(), load.config.as_deref())?);
        let loaded = load_rules(load, &settings)?;
        let mut workspace = Workspace {
            configurations: settings.all().len(),
            settings,
            loaded,
            rule_urls: HashMap::new(),
        };
        workspace.loaded.validate(&workspace.settings.root())?;
        workspace.index_rules();
        Ok(workspace)
    }

    fn index_rules(&mut self) {
        self.rule_urls = RuleInfo::catalog(&self.loaded.rules)
            .into_iter()
            .filter_map(|info| Some((info.id, info.url?.parse().ok()?)))
            .collect();
    }

    /// The configuration governing `path`; the rules are loaded again first if it is a
    /// configuration not met before (its `rules:` may bring packs in).
    fn configuration(&mut self, path: &Path, load: &LoadArgs) -> Result<Arc<Resolved>, String> {
        let config = self.settings.for_path(path)?;
        let configurations = self.settings.all().len();
        if configurations != self.configurations {
            self.loaded = load_rules(load, &self.settings)?;
            self.configurations = configurations;
            self.index_rules();
        }
        self.loaded.validate(&config)?;
        Ok(config)
    }
}

/// An open document: the editor's text, not the file's.
struct OpenDocument {
    text: String,
    version: i32,
    /// The language the editor gave it (for a document with no path to go by).
    language: String,
}

/// One session's state.
struct Server<'c> {
    connection: &'c Connection,
    encoding: Encoding,
    root: PathBuf,
    load: LoadArgs,
    today: Option<jiff::civil::Date>,
    /// `None` while the configuration or rules fail to load.
    workspace: Option<Workspace>,
    documents: HashMap<Uri, OpenDocument>,
    /// Documents to check again once the messages waiting have been read.
    stale: BTreeSet<Uri>,
    /// Errors already shown to the user (each is shown once, not on every keystroke).
    shown_errors: HashSet<String>,
}

/// Whether the session goes on.
enum Flow {
    Continue,
    /// It ends, with this exit code.
    Exit(i32),
}

impl Server<'_> {
    /// Reads messages until `exit`. Edits that arrive together are checked once: the
    /// documents they touch are checked when no message is waiting.
    fn run(&mut self) -> Result<i32, lsp_server::ProtocolError> {
        while let Ok(message) = self.connection.receiver.recv() {
            if let Flow::Exit(code) = self.handle(message)? {
                return Ok(code);
            }
            while let Ok(message) = self.connection.receiver.try_recv() {
                if let Flow::Exit(code) = self.handle(message)? {
                    return Ok(code);
                }
            }
            self.publish_stale();
        }
        // The editor went away without `exit`.
        Ok(EXIT_ABANDONED)
    }

    fn handle(&mut self, message: Message) -> Result<Flow, lsp_server::ProtocolError> {
        match message {
            Message::Request(request) => {
                // On `shutdown`, this answers and waits for `exit`.
                if self.connection.handle_shutdown(&request)? {
                    return Ok(Flow::Exit(EXIT_OK));
                }
                let response = self.respond(request);
                self.send(response.into());
            }
            Message::Notification(notification) => {
                if notification.method == Exit::METHOD {
                    // `exit` without `shutdown` first.
                    return Ok(Flow::Exit(EXIT_ABANDONED));
                }
                self.notified(notification);
            }
            Message::Response(_) => {}
        }
        Ok(Flow::Continue)
    }

    fn respond(&mut self, request: Request) -> Response {
        if request.method == CodeActionRequest::METHOD {
            // Checked first, so that the actions answer the text as it is now.
            self.publish_stale();
            return match serde_json::from_value::<CodeActionParams>(request.params) {
                Ok(params) => Response::new_ok(request.id, self.code_actions(&params)),
                Err(e) => Response::new_err(
                    request.id,
                    ErrorCode::InvalidParams as i32,
                    format!("bad code action parameters: {e}"),
                ),
            };
        }
        Response::new_err(
            request.id,
            ErrorCode::MethodNotFound as i32,
            format!("citelint does not handle `{}`", request.method),
        )
    }

    fn notified(&mut self, notification: Notification) {
        let method = notification.method.clone();
        match method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Some(params) = self.params::<DidOpenTextDocument>(notification) {
                    let document = params.text_document;
                    self.documents.insert(
                        document.uri.clone(),
                        OpenDocument {
                            text: document.text,
                            version: document.version,
                            language: document.language_id,
                        },
                    );
                    self.stale.insert(document.uri);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Some(params) = self.params::<DidChangeTextDocument>(notification) {
                    let uri = params.text_document.uri;
                    // Changes come whole (the sync kind is `FULL`): the last one is the text.
                    if let (Some(document), Some(change)) = (
                        self.documents.get_mut(&uri),
                        params.content_changes.into_iter().last(),
                    ) {
                        document.text = change.text;
                        document.version = params.text_document.version;
                        self.stale.insert(uri);
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Some(params) = self.params::<DidCloseTextDocument>(notification) {
                    let uri = params.text_document.uri;
                    self.documents.remove(&uri);
                    self.stale.remove(&uri);
                    self.publish(uri, Vec::new(), None);
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Some(params) = self.params::<DidSaveTextDocument>(notification) {
                    let is_yaml = file_path(&params.text_document.uri)
                        .and_then(|p| p.extension().map(|e| e.to_ascii_lowercase()))
                        .is_some_and(|e| e == "yaml" || e == "yml");
                    if is_yaml {
                        self.reload();
                    }
                }
            }
            DidChangeWatchedFiles::METHOD => self.reload(),
            _ => {}
        }
    }

    /// The parameters of a notification; a malformed one is shown and dropped.
    fn params<N: lsp_types::notification::Notification>(
        &mut self,
        notification: Notification,
    ) -> Option<N::Params> {
        match notification.extract::<N::Params>(N::METHOD) {
            Ok(params) => Some(params),
            Err(e) => {
                self.show_error(format!("bad `{}` notification: {e}", N::METHOD));
                None
            }
        }
    }

    /// Loads the configuration and rules again, and marks every open document stale.
    fn reload(&mut self) {
        self.shown_errors.clear();
        self.workspace = match Workspace::load(&self.root, &self.load) {
            Ok(workspace) => Some(workspace),
            Err(message) => {
                self.show_error(message);
                None
            }
        };
        self.stale.extend(self.documents.keys().cloned());
    }

    /// Checks the stale documents and publishes their diagnostics.
    fn publish_stale(&mut self) {
        for uri in std::mem::take(&mut self.stale) {
            let Some(document) = self.documents.get(&uri) else {
                continue;
            };
            let version = document.version;
            let bom = document.text.starts_with('\u{feff}');
            let diagnostics = match self.check(&uri) {
                Ok(Some((document, diagnostics))) => {
                    let lines = Lines {
                        document: &document,
                        encoding: self.encoding,
                        bom,
                    };
                    diagnostics
                        .iter()
                        .map(|d| self.lsp_diagnostic(&uri, &lines, d))
                        .collect()
                }
                Ok(None) => Vec::new(),
                Err(message) => {
                    self.show_error(message);
                    Vec::new()
                }
            };
            self.publish(uri, diagnostics, Some(version));
        }
    }

    /// The path a document is configured and named by: its file, or (for a document not
    /// saved yet) a file of its language in the workspace root.
    fn path_of(&self, uri: &Uri, language: &str) -> PathBuf {
        file_path(uri).unwrap_or_else(|| {
            let extension = match language {
                "markdown" | "mdx" => "md",
                "html" => "html",
                _ => "txt",
            };
            self.root.join(format!("untitled.{extension}"))
        })
    }

    /// Checks an open document: `None` when the configuration excludes it (or the rules
    /// failed to load, which was shown when they did).
    fn check(&mut self, uri: &Uri) -> Result<Option<(Document, Vec<Diagnostic>)>, String> {
        let Some(open) = self.documents.get(uri) else {
            return Ok(None);
        };
        let path = absolute(&self.root, &self.path_of(uri, &open.language));
        let Some(workspace) = &mut self.workspace else {
            return Ok(None);
        };
        let config = workspace.configuration(&path, &self.load)?;
        if config.excluded_by(&path).is_some() {
            return Ok(None);
        }
        let document = Document::new(
            shown(&self.root, &path),
            open.text.clone(),
            Format::from_path(&path),
        );
        let today = self.today.unwrap_or_else(super::clock::today);
        let options = config.options(|| &path, today, &workspace.loaded.foreign_packs(&config));
        let diagnostics = engine::check(&workspace.loaded.rules, &document, &options);
        Ok(Some((document, diagnostics)))
    }

    fn lsp_diagnostic(
        &self,
        uri: &Uri,
        lines: &Lines,
        diagnostic: &Diagnostic,
    ) -> lsp_types::Diagnostic {
        let mut message = diagnostic.message.clone();
        if let Some(help) = &diagnostic.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let related: Vec<DiagnosticRelatedInformation> = diagnostic
            .labels
            .iter()
            .map(|label| DiagnosticRelatedInformation {
                location: Location {
                    uri: uri.clone(),
                    range: lines.range(&label.span, label.start, label.end),
                },
                message: label.message.clone(),
            })
            .collect();
        let href = self
            .workspace
            .as_ref()
            .and_then(|w| w.rule_urls.get(&diagnostic.rule));
        lsp_types::Diagnostic {
            range: lines.range(&diagnostic.span, diagnostic.start, diagnostic.end),
            severity: Some(match diagnostic.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Info => DiagnosticSeverity::INFORMATION,
            }),
            code: Some(NumberOrString::String(diagnostic.rule.clone())),
            code_description: href.map(|href| CodeDescription { href: href.clone() }),
            source: Some("citelint".to_string()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..lsp_types::Diagnostic::default()
        }
    }

    /// For each citelint diagnostic in the request, quick fixes that suppress its rule on
    /// its line and in the whole file, with the directive the document's format reads.
    fn code_actions(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let Some(open) = self.documents.get(uri) else {
            return Vec::new();
        };
        let format = Format::from_path(&self.path_of(uri, &open.language));
        // Read as it is checked (without a byte-order mark), for its lines and front matter.
        let document = Document::new("", open.text.clone(), format);
        let text = document.text();
        let body = Body::of(&document);
        let mut actions = Vec::new();
        for diagnostic in &params.context.diagnostics {
            let Some(NumberOrString::String(rule)) = &diagnostic.code else {
                continue;
            };
            if diagnostic.source.as_deref() != Some("citelint") {
                continue;
            }
            let directive = |kind: &str| match format {
                Format::Markdown | Format::Html => format!("<!-- citelint-{kind} {rule} -->"),
                Format::Text => format!("citelint: {kind} {rule}"),
            };
            let line = diagnostic.range.start.line as usize;
            // A directive cannot go inside the front matter (it would break the YAML).
            if line >= body.first_line
                && let Some(span) = document.lines().line_span(text, line + 1)
            {
                let line_text = &text[span];
                let indent =
                    &line_text[..line_text.len() - line_text.trim_start_matches([' ', '\t']).len()];
                let at = lsp_types::Position {
                    line: to_u32(line),
                    character: 0,
                };
                actions.push(quick_fix(
                    format!("Disable {rule} for this line"),
                    uri,
                    diagnostic,
                    at,
                    format!("{indent}{}\n", directive("disable-next-line")),
                ));
            }
            let (at, new_text) = body.insertion(directive("disable-file"), self.encoding, text);
            actions.push(quick_fix(
                format!("Disable {rule} for this file"),
                uri,
                diagnostic,
                at,
                new_text,
            ));
        }
        actions
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(PublishDiagnostics::METHOD.to_string(), params).into());
    }

    /// Shows an error in the editor, once per distinct message until the next reload.
    fn show_error(&mut self, message: String) {
        if self.shown_errors.insert(message.clone()) {
            let params = ShowMessageParams {
                typ: MessageType::ERROR,
                message: format!("citelint: {message}"),
            };
            self.send(Notification::new(ShowMessage::METHOD.to_string(), params).into());
        }
    }

    fn send(&self, message: Message) {
        // A closed channel means the editor has gone; the receiving loop then ends.
        let _ = self.connection.sender.send(message);
    }
}

/// A checked document's positions as the editor counts them.
struct Lines<'d> {
    document: &'d Document,
    encoding: Encoding,
    /// Whether the editor's text starts with a byte-order mark, which the document's
    /// text has lost: the editor counts it before the first line's characters.
    bom: bool,
}

impl Lines<'_> {
    /// The range of `span`, whose ends are at `start` and `end` (as the engine recorded
    /// them for a diagnostic or a label).
    fn range(&self, span: &Span, start: Position, end: Position) -> Range {
        Range {
            start: self.position(span.start, start),
            end: self.position(span.end, end),
        }
    }

    /// The editor's position of byte `offset`, which is at `position`: the characters
    /// from the start of its line to it, counted in the agreed encoding.
    fn position(&self, offset: usize, position: Position) -> lsp_types::Position {
        let text = self.document.text();
        let line_start = self
            .document
            .lines()
            .line_start(position.line)
            .unwrap_or(text.len());
        let mut character = text
            .get(line_start..offset)
            .map_or(0, |s| self.encoding.len(s));
        if position.line == 1 && self.bom {
            character += self.encoding.len("\u{feff}");
        }
        lsp_types::Position {
            line: to_u32(position.line - 1),
            character: to_u32(character),
        }
    }
}

/// Where the article's body starts: after a Markdown document's front matter.
struct Body {
    /// The 0-based line the body starts on.
    first_line: usize,
    /// Set when the front matter ends the text with no line break after it.
    at_end: bool,
}

impl Body {
    fn of(document: &Document) -> Body {
        match document.front_matter() {
            None => Body {
                first_line: 0,
                at_end: false,
            },
            Some(front) => {
                let end = document.position(front.span.end);
                Body {
                    first_line: end.line - 1,
                    at_end: end.column > 1,
                }
            }
        }
    }

    /// Where a file-wide directive goes, and the text inserted there: the body's first
    /// line, or the end of a text that is all front matter.
    fn insertion(
        &self,
        directive: String,
        encoding: Encoding,
        text: &str,
    ) -> (lsp_types::Position, String) {
        if self.at_end {
            let last_line = text.rsplit(['\n', '\r']).next().unwrap_or_default();
            let at = lsp_types::Position {
                line: to_u32(self.first_line),
                character: to_u32(encoding.len(last_line)),
            };
            (at, format!("\n{directive}"))
        } else {
            let at = lsp_types::Position {
                line: to_u32(self.first_line),
                character: 0,
            };
            (at, format!("{directive}\n"))
        }
    }
}

/// A quick fix that inserts `new_text` at `at`.
fn quick_fix(
    title: String,
    uri: &Uri,
    diagnostic: &lsp_types::Diagnostic,
    at: lsp_types::Position,
    new_text: String,
) -> CodeActionOrCommand {
    let edit = TextEdit {
        range: Range { start: at, end: at },
        new_text,
    };
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
            ..WorkspaceEdit::default()
        }),
        ..CodeAction::default()
    })
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use lsp_server::RequestId;
    use serde_json::{Value, json};

    use super::*;

    fn fixture(path: &str) -> String {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures")
                .join(path),
        )
        .unwrap()
    }

    fn uri(path: &Path) -> String {
        url::Url::from_file_path(path).unwrap().to_string()
    }

    /// An editor talking to a server on another thread.
    struct Editor {
        connection: Connection,
        server: std::thread::JoinHandle<Result<i32, String>>,
        /// Notifications read while waiting for something else.
        notifications: Vec<Notification>,
        next_id: i32,
    }

    impl Editor {
        /// Starts a server on `root` and completes the handshake, offering `encodings`.
        fn start(root: &Path, encodings: &[&str]) -> (Editor, Value) {
            let (server, connection) = Connection::memory();
            let cwd = root.to_path_buf();
            let today = jiff::civil::date(2026, 1, 15);
            let server =
                std::thread::spawn(move || serve(&server, cwd, &LoadArgs::default(), Some(today)));
            let mut editor = Editor {
                connection,
                server,
                notifications: Vec::new(),
                next_id: 1,
            };
            let result = editor.request(
                "initialize",
                json!({
                    "capabilities": {"general": {"positionEncodings": encodings}},
                    "rootUri": uri(root),
                }),
            );
            editor.notify("initialized", json!({}));
            (editor, result.unwrap())
        }

        fn notify(&self, method: &str, params: Value) {
            let message = Notification::new(method.to_string(), params);
            self.connection.sender.send(message.into()).unwrap();
        }

        /// Sends a request and waits for its response: the result, or the error.
        fn request(
            &mut self,
            method: &str,
            params: Value,
        ) -> Result<Value, lsp_server::ResponseError> {
            let id = RequestId::from(self.next_id);
            self.next_id += 1;
            let message = Request::new(id.clone(), method.to_string(), params);
            self.connection.sender.send(message.into()).unwrap();
            loop {
                match self.receive() {
                    Message::Response(response) if response.id == id => {
                        return response.response_result;
                    }
                    Message::Notification(notification) => self.notifications.push(notification),
                    other => panic!("unexpected message {other:?}"),
                }
            }
        }

        fn receive(&self) -> Message {
            self.connection
                .receiver
                .recv_timeout(Duration::from_secs(20))
                .expect("the server answers")
        }

        /// The next notification of `method` (earlier ones of other methods are kept).
        fn next(&mut self, method: &str) -> Value {
            if let Some(at) = self.notifications.iter().position(|n| n.method == method) {
                return self.notifications.remove(at).params;
            }
            loop {
                match self.receive() {
                    Message::Notification(n) if n.method == method => return n.params,
                    Message::Notification(n) => self.notifications.push(n),
                    other => panic!("unexpected message {other:?}"),
                }
            }
        }

        /// The next diagnostics published.
        fn diagnostics(&mut self) -> Value {
            self.next("textDocument/publishDiagnostics")
        }

        fn open(&self, path: &Path, text: &str) {
            self.notify(
                "textDocument/didOpen",
                json!({"textDocument": {
                    "uri": uri(path), "languageId": "plaintext", "version": 1, "text": text,
                }}),
            );
        }

        fn change(&self, path: &Path, version: i32, text: &str) {
            self.notify(
                "textDocument/didChange",
                json!({
                    "textDocument": {"uri": uri(path), "version": version},
                    "contentChanges": [{"text": text}],
                }),
            );
        }

        /// Shuts the server down as an editor does; the server's own result.
        fn shut_down(mut self) -> Result<i32, String> {
            assert_eq!(self.request("shutdown", Value::Null).unwrap(), Value::Null);
            self.notify("exit", Value::Null);
            self.server.join().unwrap()
        }
    }

    /// The rule ids and (line, character) ranges of published diagnostics.
    fn ranges(published: &Value) -> Vec<(String, [u64; 4])> {
        published["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let at = |end: &str, key: &str| d["range"][end][key].as_u64().unwrap();
                (
                    d["code"].as_str().unwrap().to_string(),
                    [
                        at("start", "line"),
                        at("start", "character"),
                        at("end", "line"),
                        at("end", "character"),
                    ],
                )
            })
            .collect()
    }

    /// The url-https fixture with a character outside the Basic Multilingual Plane (two
    /// UTF-16 units, four UTF-8 bytes) early on the citation line, in the title and the
    /// headline alike.
    fn astral_article() -> String {
        fixture("sciencex/url-https/fail.txt").replace("survey finds", "survey finds 𝕏")
    }

    #[test]
    fn positions_are_in_the_encoding_the_editor_agreed_to() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("article.txt");
        // The URL starts at column 124 in Unicode scalar values (`check` reports
        // 21:124 for this text); the `𝕏` before it is one scalar value, two UTF-16 units
        // and four bytes.
        for (offered, agreed, start, end) in [
            (&[][..], "utf-16", 124, 128),
            (&["utf-16"][..], "utf-16", 124, 128),
            (&["utf-32", "utf-16"][..], "utf-32", 123, 127),
            (&["utf-16", "utf-8"][..], "utf-8", 126, 130),
        ] {
            let (mut editor, result) = Editor::start(dir.path(), offered);
            assert_eq!(result["capabilities"]["positionEncoding"], agreed);
            editor.open(&path, &astral_article());
            let published = editor.diagnostics();
            assert_eq!(published["uri"], uri(&path));
            assert_eq!(published["version"], 1);
            assert_eq!(
                ranges(&published),
                [("sciencex/url-https".to_string(), [20, start, 20, end])],
                "{agreed}"
            );
            let diagnostic = &published["diagnostics"][0];
            assert_eq!(diagnostic["severity"], 1);
            assert_eq!(diagnostic["source"], "citelint");
            assert_eq!(
                diagnostic["message"],
                "citation URL uses http; Science X URLs use https"
            );
            assert_eq!(editor.shut_down(), Ok(0));
        }
    }

    #[test]
    fn help_goes_in_the_message_labels_in_the_related_information_and_docs_are_linked() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("article.txt");
        let (mut editor, _) = Editor::start(dir.path(), &[]);
        editor.open(&path, &fixture("sciencex/title-mismatch/fail.txt"));
        let published = editor.diagnostics();
        let diagnostic = &published["diagnostics"][0];
        assert_eq!(diagnostic["code"], "sciencex/title-mismatch");
        let message = diagnostic["message"].as_str().unwrap();
        assert!(
            message.ends_with(
                "\nhelp: the citation repeats the headline exactly: \
                 `Coastal wetlands store more carbon than expected, survey finds`"
            ),
            "{message}"
        );
        assert_eq!(
            diagnostic["relatedInformation"],
            json!([{
                "location": {
                    "uri": uri(&path),
                    "range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 62}},
                },
                "message": "headline is here",
            }])
        );
        assert_eq!(
            diagnostic.get("codeDescription"),
            None,
            "the pack names no page"
        );
        // A rule of a pack that names a page links it.
        let path = dir.path().join("licence.md");
        editor.open(&path, &fixture("cc-by/deed-link-missing/fail.md"));
        let published = editor.diagnostics();
        let diagnostic = &published["diagnostics"][0];
        assert_eq!(diagnostic["code"], "cc-by/deed-link-missing");
        assert_eq!(
            diagnostic["codeDescription"]["href"],
            "https://creativecommons.org/licenses/by/4.0/legalcode#s3a"
        );
        assert_eq!(editor.shut_down(), Ok(0));
    }

    #[test]
    fn edits_are_checked_again_and_closing_clears_the_diagnostics() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("article.txt");
        // The file on disk is clean: the editor's text is what is checked.
        std::fs::write(&path, fixture("sciencex/url-https/pass.txt")).unwrap();
        let (mut editor, _) = Editor::start(dir.path(), &[]);
        editor.open(&path, &fixture("sciencex/url-https/fail.txt"));
        assert_eq!(
            ranges(&editor.diagnostics()),
            [("sciencex/url-https".to_string(), [20, 121, 20, 125])]
        );
        // Edits that arrive together are checked once, at the last text; the server may
        // also have read the first alone and published for it.
        editor.change(&path, 2, &fixture("sciencex/url-https/pass.txt"));
        editor.change(&path, 3, &fixture("sciencex/url-host/fail_lookalike.txt"));
        let mut published = editor.diagnostics();
        if published["version"] == 2 {
            assert_eq!(ranges(&published), vec![]);
            published = editor.diagnostics();
        }
        assert_eq!(published["version"], 3);
        assert_eq!(ranges(&published)[0].0, "sciencex/url-host");
        editor.change(&path, 4, &fixture("sciencex/url-https/pass.txt"));
        let published = editor.diagnostics();
        assert_eq!(
            (&published["version"], ranges(&published)),
            (&json!(4), vec![])
        );
        editor.change(&path, 5, &fixture("sciencex/url-https/fail.txt"));
        assert_eq!(ranges(&editor.diagnostics()).len(), 1);
        editor.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri(&path)}}),
        );
        let published = editor.diagnostics();
        assert_eq!(
            (&published["version"], ranges(&published)),
            (&Value::Null, vec![])
        );
        assert_eq!(editor.shut_down(), Ok(0));
    }

    #[test]
    fn the_configuration_applies_and_reloads_when_saved() {
        let dir = tempfile::TempDir::new().unwrap();
        let config = dir.path().join("citelint.yaml");
        std::fs::write(
            &config,
            "levels:\n  sciencex/url-https: warning\nexclude: [drafts]\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("drafts")).unwrap();
        let (mut editor, _) = Editor::start(dir.path(), &[]);
        let article = dir.path().join("article.txt");
        editor.open(&article, &fixture("sciencex/url-https/fail.txt"));
        let published = editor.diagnostics();
        assert_eq!(ranges(&published)[0].0, "sciencex/url-https");
        assert_eq!(published["diagnostics"][0]["severity"], 2, "a warning");
        // An excluded file gets no diagnostics, whatever its text.
        let draft = dir.path().join("drafts/wip.txt");
        editor.open(&draft, &fixture("sciencex/url-https/fail.txt"));
        let published = editor.diagnostics();
        assert_eq!(
            (&published["uri"], ranges(&published)),
            (&json!(uri(&draft)), vec![])
        );

        std::fs::write(&config, "levels:\n  sciencex/url-https: info\n").unwrap();
        editor.notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": uri(&config)}}),
        );
        let mut published: Vec<Value> = (0..2).map(|_| editor.diagnostics()).collect();
        published.sort_by_key(|p| p["uri"].as_str().unwrap().to_string());
        assert_eq!(published[0]["uri"], uri(&article));
        assert_eq!(published[0]["diagnostics"][0]["severity"], 3, "information");
        assert_eq!(published[1]["uri"], uri(&draft));
        assert_eq!(ranges(&published[1]).len(), 1, "no longer excluded");
        assert_eq!(editor.shut_down(), Ok(0));
    }

    #[test]
    fn a_broken_configuration_is_shown_and_the_server_carries_on() {
        let dir = tempfile::TempDir::new().unwrap();
        let config = dir.path().join("citelint.yaml");
        std::fs::write(&config, "levels:\n  sciencex/url-https: loud\n").unwrap();
        let (mut editor, _) = Editor::start(dir.path(), &[]);
        let shown = editor.next("window/showMessage");
        assert_eq!(shown["type"], 1, "an error");
        let message = shown["message"].as_str().unwrap();
        assert!(
            message.starts_with("citelint: citelint.yaml:2:"),
            "{message}"
        );
        assert!(message.contains("loud"), "{message}");
        let article = dir.path().join("article.txt");
        editor.open(&article, &fixture("sciencex/url-https/fail.txt"));
        assert_eq!(ranges(&editor.diagnostics()), vec![]);

        std::fs::write(&config, "levels:\n  sciencex/url-https: info\n").unwrap();
        editor.notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": uri(&config)}}),
        );
        let published = editor.diagnostics();
        assert_eq!(ranges(&published)[0].0, "sciencex/url-https");
        assert_eq!(published["diagnostics"][0]["severity"], 3, "information");
        assert_eq!(editor.shut_down(), Ok(0));
    }

    #[test]
    fn a_nested_configuration_brings_its_rules_to_the_documents_under_it() {
        let dir = tempfile::TempDir::new().unwrap();
        let desk = dir.path().join("desk");
        std::fs::create_dir(&desk).unwrap();
        std::fs::write(
            desk.join("house.yaml"),
            "pack: house\nrules:\n  - id: credit-holder\n    kind: forbidden\n    \
             pattern: '©\\s*YYYY'\n    message: \"placeholder credit `{match}`\"\n",
        )
        .unwrap();
        std::fs::write(desk.join("citelint.yaml"), "rules: [house.yaml]\n").unwrap();
        let (mut editor, _) = Editor::start(dir.path(), &[]);
        let text = "Story\n\n© YYYY Someone\n";
        // Outside the desk the pack does not apply.
        editor.open(&dir.path().join("a.txt"), text);
        assert_eq!(ranges(&editor.diagnostics()), vec![]);
        editor.open(&desk.join("a.txt"), text);
        let published = editor.diagnostics();
        assert_eq!(
            ranges(&published),
            [("house/credit-holder".to_string(), [2, 0, 2, 6])]
        );
        assert_eq!(
            published["diagnostics"][0]["message"],
            "placeholder credit `© YYYY`"
        );
        assert_eq!(editor.shut_down(), Ok(0));
    }

    #[test]
    fn an_unsaved_document_is_read_in_its_language() {
        let dir = tempfile::TempDir::new().unwrap();
        let (mut editor, _) = Editor::start(dir.path(), &[]);
        let text = fixture("front-matter/source-url-https/fail.md");
        // Markdown: the front matter is read, and its source URL is over http.
        for (uri, language, found) in [
            ("untitled:Untitled-1", "markdown", 1),
            ("untitled:Untitled-2", "plaintext", 0),
        ] {
            editor.notify(
                "textDocument/didOpen",
                json!({"textDocument": {
                    "uri": uri, "languageId": language, "version": 1, "text": text,
                }}),
            );
            let published = editor.diagnostics();
            assert_eq!(published["uri"], uri);
            assert_eq!(ranges(&published).len(), found, "{language}");
        }
        assert_eq!(editor.shut_down(), Ok(0));
    }

    /// Inserts a code action's one edit into `text`.
    fn apply(text: &str, action: &Value) -> String {
        let edits = action["edit"]["changes"].as_object().unwrap();
        let edit = &edits.values().next().unwrap()[0];
        let at = &edit["range"]["start"];
        assert_eq!(at, &edit["range"]["end"]);
        let line = at["line"].as_u64().unwrap() as usize;
        let character = at["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let at = start + character;
        format!(
            "{}{}{}",
            &text[..at],
            edit["newText"].as_str().unwrap(),
            &text[at..]
        )
    }

    #[test]
    fn quick_fixes_suppress_the_rule_on_its_line_or_in_the_file() {
        let dir = tempfile::TempDir::new().unwrap();
        let (mut editor, _) = Editor::start(dir.path(), &[]);
        let cases = [
            (
                "article.txt",
                "sciencex/url-https/fail.txt",
                vec![
                    (
                        "Disable sciencex/url-https for this line",
                        20,
                        "citelint: disable-next-line sciencex/url-https\n",
                    ),
                    (
                        "Disable sciencex/url-https for this file",
                        0,
                        "citelint: disable-file sciencex/url-https\n",
                    ),
                ],
            ),
            (
                "body.md",
                "front-matter/originally-url-https/fail.md",
                vec![
                    (
                        "Disable front-matter/originally-url-https for this line",
                        8,
                        "<!-- citelint-disable-next-line front-matter/originally-url-https -->\n",
                    ),
                    (
                        "Disable front-matter/originally-url-https for this file",
                        5,
                        "<!-- citelint-disable-file front-matter/originally-url-https -->\n",
                    ),
                ],
            ),
            (
                // In the front matter only the file-wide directive can go, after it.
                "front.md",
                "front-matter/source-url-https/fail.md",
                vec![(
                    "Disable front-matter/source-url-https for this file",
                    5,
                    "<!-- citelint-disable-file front-matter/source-url-https -->\n",
                )],
            ),
        ];
        let mut version = 1;
        for (name, fixture_path, expected) in cases {
            let path = dir.path().join(name);
            let text = fixture(fixture_path);
            editor.open(&path, &text);
            let published = editor.diagnostics();
            assert_eq!(ranges(&published).len(), 1, "{name}");
            let actions = editor
                .request(
                    "textDocument/codeAction",
                    json!({
                        "textDocument": {"uri": uri(&path)},
                        "range": published["diagnostics"][0]["range"],
                        "context": {"diagnostics": published["diagnostics"]},
                    }),
                )
                .unwrap();
            let actions = actions.as_array().unwrap();
            let found: Vec<(&str, u64, &str)> = actions
                .iter()
                .map(|a| {
                    let edit = &a["edit"]["changes"][uri(&path)][0];
                    (
                        a["title"].as_str().unwrap(),
                        edit["range"]["start"]["line"].as_u64().unwrap(),
                        edit["newText"].as_str().unwrap(),
                    )
                })
                .collect();
            assert_eq!(found, expected, "{name}");
            // Each fix, applied, leaves the document clean.
            for action in actions {
                assert_eq!(action["kind"], "quickfix");
                version += 1;
                editor.change(&path, version, &apply(&text, action));
                let published = editor.diagnostics();
                assert_eq!(ranges(&published), vec![], "{name}: {}", action["title"]);
            }
        }
        assert_eq!(editor.shut_down(), Ok(0));
    }

    #[test]
    fn bad_initialize_parameters_are_answered_with_an_error() {
        let (server, editor) = Connection::memory();
        let session = std::thread::spawn(move || {
            serve(&server, PathBuf::from("/"), &LoadArgs::default(), None)
        });
        let request = Request::new(RequestId::from(1), "initialize".to_string(), json!({}));
        editor.sender.send(request.into()).unwrap();
        let Message::Response(response) = editor
            .receiver
            .recv_timeout(Duration::from_secs(20))
            .unwrap()
        else {
            panic!("a response to initialize");
        };
        let error = response.response_result.unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidParams as i32);
        assert!(error.message.contains("capabilities"), "{}", error.message);
        let failure = session.join().unwrap().unwrap_err();
        assert!(
            failure.starts_with("language server protocol: bad initialize parameters"),
            "{failure}"
        );
    }

    #[test]
    fn unknown_requests_are_refused_and_a_session_can_end_without_shutdown() {
        let dir = tempfile::TempDir::new().unwrap();
        let (mut editor, _) = Editor::start(dir.path(), &[]);
        let error = editor.request("textDocument/hover", json!({})).unwrap_err();
        assert_eq!(error.code, ErrorCode::MethodNotFound as i32);
        // An editor that goes away without `exit` ends the session cleanly.
        let Editor {
            connection, server, ..
        } = editor;
        drop(connection);
        assert_eq!(server.join().unwrap(), Ok(1));
        // So does `exit` without `shutdown` first, with exit code 1.
        let (editor, _) = Editor::start(dir.path(), &[]);
        editor.notify("exit", Value::Null);
        assert_eq!(editor.server.join().unwrap(), Ok(1));
    }
}
