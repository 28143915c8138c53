//! Text → [`Command`]: a shell-like tokenizer and cobra/pflag-style flag parsing, mirroring how
//! kubectl (`k8s.io/kubectl/pkg/cmd/*`, `spf13/pflag`) reads its command line.
//!
//! Simplifications: only the verbs and flags kubeplay implements exist (unknown ones get kubectl's
//! `unknown command` / `unknown flag` errors); there are no global flags besides `-n`; the
//! tokenizer understands quotes and backslashes but no variables, globs or pipes.

use crate::engine::api::Kind;
use crate::engine::clock::{parse_duration, Millis};
use crate::engine::controller::Propagation;
use crate::engine::kubelet::NodeConditionType;
use crate::engine::PatchType;

/// A parse failure: the exact text kubectl prints (without a trailing newline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError(msg.into()))
}

// -------------------------------------------------------------------------------------------
// Tokenizer
// -------------------------------------------------------------------------------------------

/// Splits a command line into words like a POSIX shell: whitespace separates, `'…'` is literal,
/// `"…"` keeps spaces and honours `\"` and `\\`, a bare `\` escapes the next character.
pub fn tokenize(line: &str) -> Result<Vec<String>, ParseError> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => cur.push(x),
                        None => return err("error: unterminated quoted string"),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.peek() {
                            Some(&n @ ('"' | '\\' | '$' | '`')) => {
                                cur.push(n);
                                chars.next();
                            }
                            _ => cur.push('\\'),
                        },
                        Some(x) => cur.push(x),
                        None => return err("error: unterminated quoted string"),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

// -------------------------------------------------------------------------------------------
// Verbs and flags
// -------------------------------------------------------------------------------------------

/// Every top-level command kubeplay understands, in the order `kubectl --help` lists them
/// (cobra suggests in this order), then kubeplay's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verb {
    /// `kubectl create`.
    Create,
    /// `kubectl expose`.
    Expose,
    /// `kubectl run`.
    Run,
    /// `kubectl set`.
    Set,
    /// `kubectl explain`.
    Explain,
    /// `kubectl get`.
    Get,
    /// `kubectl delete`.
    Delete,
    /// `kubectl rollout`.
    Rollout,
    /// `kubectl cordon`.
    Cordon,
    /// `kubectl uncordon`.
    Uncordon,
    /// `kubectl drain`.
    Drain,
    /// `kubectl taint`.
    Taint,
    /// `kubectl describe`.
    Describe,
    /// `kubectl logs`.
    Logs,
    /// `kubectl exec`.
    Exec,
    /// `kubectl events`.
    Events,
    /// `kubectl diff`.
    Diff,
    /// `kubectl apply`.
    Apply,
    /// `kubectl patch`.
    Patch,
    /// `kubectl replace`.
    Replace,
    /// `kubectl wait`.
    Wait,
    /// `kubectl label`.
    Label,
    /// `kubectl annotate`.
    Annotate,
    /// `kubectl api-resources`.
    ApiResources,
    /// `kubectl api-versions`.
    ApiVersions,
    /// `kubectl version`.
    Version,
    /// `kubectl top` (there is no metrics-server in the simulated cluster).
    Top,
    /// `kubectl cluster-info`.
    ClusterInfo,
    /// `kubectl config` (kubeplay's one built-in context).
    Config,
    /// kubeplay's simulation controls.
    Sim,
    /// The command list.
    Help,
}

/// Every verb, in suggestion order.
pub const VERBS: &[Verb] = &[
    Verb::Create,
    Verb::Expose,
    Verb::Run,
    Verb::Set,
    Verb::Explain,
    Verb::Get,
    Verb::Delete,
    Verb::Rollout,
    Verb::Cordon,
    Verb::Uncordon,
    Verb::Drain,
    Verb::Taint,
    Verb::Describe,
    Verb::Logs,
    Verb::Exec,
    Verb::Events,
    Verb::Diff,
    Verb::Apply,
    Verb::Patch,
    Verb::Replace,
    Verb::Wait,
    Verb::Label,
    Verb::Annotate,
    Verb::ApiResources,
    Verb::ApiVersions,
    Verb::Version,
    Verb::Top,
    Verb::ClusterInfo,
    Verb::Config,
    Verb::Sim,
    Verb::Help,
];

impl Verb {
    /// The command word.
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Create => "create",
            Verb::Expose => "expose",
            Verb::Run => "run",
            Verb::Set => "set",
            Verb::Explain => "explain",
            Verb::Get => "get",
            Verb::Delete => "delete",
            Verb::Rollout => "rollout",
            Verb::Cordon => "cordon",
            Verb::Uncordon => "uncordon",
            Verb::Drain => "drain",
            Verb::Taint => "taint",
            Verb::Describe => "describe",
            Verb::Logs => "logs",
            Verb::Exec => "exec",
            Verb::Events => "events",
            Verb::Diff => "diff",
            Verb::Apply => "apply",
            Verb::Patch => "patch",
            Verb::Replace => "replace",
            Verb::Wait => "wait",
            Verb::Label => "label",
            Verb::Annotate => "annotate",
            Verb::ApiResources => "api-resources",
            Verb::ApiVersions => "api-versions",
            Verb::Version => "version",
            Verb::Top => "top",
            Verb::ClusterInfo => "cluster-info",
            Verb::Config => "config",
            Verb::Sim => "sim",
            Verb::Help => "help",
        }
    }

    fn from_word(w: &str) -> Option<Verb> {
        VERBS.iter().copied().find(|v| v.as_str() == w)
    }

    /// The flags this verb accepts (besides `-h/--help`).
    fn flags(self) -> &'static [Flag] {
        use Flag::*;
        match self {
            Verb::Get => &[
                Namespace,
                AllNamespaces,
                Selector,
                FieldSelector,
                Output,
                Template,
                ShowLabels,
                LabelColumns,
                Watch,
                WatchOnly,
                OutputWatchEvents,
                NoHeaders,
                SortBy,
                Filename,
            ],
            Verb::Describe => &[Namespace, AllNamespaces, Selector, Filename],
            Verb::Apply => &[Namespace, Filename, DryRun, Output, Template],
            Verb::Diff => &[Namespace, Filename],
            Verb::Replace => &[Namespace, Filename],
            Verb::Create => &[Namespace, Filename, Image, DryRun, Output, Template],
            // `-l` is `--labels` here; `--selector` has no shorthand in expose.
            Verb::Expose => &[
                Namespace,
                Port,
                TargetPort,
                Protocol,
                ServiceName,
                TypeFlag,
                ClusterIp,
                Labels,
                Selector,
                DryRun,
                Output,
                Template,
            ],
            Verb::Run => &[
                Namespace,
                Image,
                Restart,
                Labels,
                Annotations,
                Env,
                Port,
                ImagePullPolicy,
                Overrides,
                OverrideType,
                CommandFlag,
                Stdin,
                Tty,
                Attach,
                Rm,
                Privileged,
                Expose,
                PodRunningTimeout,
                DryRun,
                Output,
                Template,
            ],
            Verb::Delete => &[
                Namespace,
                AllNamespaces,
                Filename,
                Selector,
                FieldSelector,
                All,
                Cascade,
                GracePeriod,
                Now,
                Force,
                WaitFlag,
            ],
            Verb::Label | Verb::Annotate => &[Namespace, Overwrite, Selector, All],
            Verb::Taint => &[Overwrite],
            Verb::Cordon | Verb::Uncordon => &[],
            Verb::Drain => &[IgnoreDaemonsets, Force, DeleteEmptydirData, GracePeriod],
            Verb::Patch => &[Namespace, TypeFlag, PatchFlag],
            Verb::Exec => &[Namespace, Container, Stdin, Tty, Quiet, PodRunningTimeout],
            Verb::Logs => &[
                Namespace,
                Container,
                Previous,
                Tail,
                Selector,
                Follow,
                Prefix,
                Timestamps,
                AllContainers,
                Since,
                LimitBytes,
                MaxLogRequests,
                IgnoreErrors,
            ],
            Verb::Events => &[
                Namespace,
                AllNamespaces,
                For,
                Types,
                NoHeaders,
                Output,
                Template,
                Watch,
            ],
            Verb::Wait => &[Namespace, For, Timeout, Selector, All],
            Verb::Explain => &[Recursive],
            Verb::ApiResources => &[Output, Template, Namespaced],
            Verb::ApiVersions => &[],
            Verb::Version => &[ClientOnly, Output],
            Verb::Top => &[Namespace, AllNamespaces, Selector],
            Verb::ClusterInfo => &[],
            // `--namespace` here is set-context's own flag (it shadows the global one).
            Verb::Config => &[Namespace, Current, Minify, Output, Template],
            Verb::Rollout => &[Namespace, ToRevision, Revision, Timeout],
            Verb::Set => &[Namespace],
            Verb::Sim => &[
                Namespace, Labels, Taints, Cpu, Memory, Pods, ExitCode, Reason,
            ],
            Verb::Help => &[],
        }
    }
}

/// Every flag any verb accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Flag {
    /// `-n, --namespace`.
    Namespace,
    /// `-A, --all-namespaces`.
    AllNamespaces,
    /// `-l, --selector`.
    Selector,
    /// `--field-selector`.
    FieldSelector,
    /// `-o, --output`.
    Output,
    /// `--show-labels`.
    ShowLabels,
    /// `-L, --label-columns`.
    LabelColumns,
    /// `-w, --watch`.
    Watch,
    /// `--sort-by`.
    SortBy,
    /// `-f, --filename`.
    Filename,
    /// `--all`.
    All,
    /// `--cascade`.
    Cascade,
    /// `--grace-period`.
    GracePeriod,
    /// `--now`.
    Now,
    /// `--force`.
    Force,
    /// `--wait`.
    WaitFlag,
    /// `--overwrite`.
    Overwrite,
    /// `--ignore-daemonsets`.
    IgnoreDaemonsets,
    /// `--delete-emptydir-data`.
    DeleteEmptydirData,
    /// `--type`.
    TypeFlag,
    /// `-p, --patch`.
    PatchFlag,
    /// `-c, --container`.
    Container,
    /// `-p, --previous`.
    Previous,
    /// `--tail`.
    Tail,
    /// `--for`.
    For,
    /// `--timeout`.
    Timeout,
    /// `--namespaced`.
    Namespaced,
    /// `--to-revision`.
    ToRevision,
    /// `--revision`.
    Revision,
    /// `--image`.
    Image,
    /// `--labels` (sim node add).
    Labels,
    /// `--taints` (sim node add).
    Taints,
    /// `--cpu` (sim node add).
    Cpu,
    /// `--memory` (sim node add).
    Memory,
    /// `--pods` (sim node add).
    Pods,
    /// `--exit-code` (sim pod fail).
    ExitCode,
    /// `--reason` (sim pod fail).
    Reason,
    /// `--dry-run` (none, client, server).
    DryRun,
    /// `--restart` (run).
    Restart,
    /// `--annotations` (run).
    Annotations,
    /// `--env` (run).
    Env,
    /// `--port` (run).
    Port,
    /// `--image-pull-policy` (run).
    ImagePullPolicy,
    /// `--overrides` (run).
    Overrides,
    /// `--override-type` (run).
    OverrideType,
    /// `--command` (run).
    CommandFlag,
    /// `-i, --stdin` (run).
    Stdin,
    /// `-t, --tty` (run).
    Tty,
    /// `--attach` (run).
    Attach,
    /// `--rm` (run).
    Rm,
    /// `--privileged` (run).
    Privileged,
    /// `--expose` (run).
    Expose,
    /// `--client` (version).
    ClientOnly,
    /// `--pod-running-timeout` (run).
    PodRunningTimeout,
    /// `-f, --follow` (logs).
    Follow,
    /// `--prefix` (logs).
    Prefix,
    /// `--timestamps` (logs).
    Timestamps,
    /// `--all-containers` (logs).
    AllContainers,
    /// `--since` (logs).
    Since,
    /// `--limit-bytes` (logs).
    LimitBytes,
    /// `--max-log-requests` (logs).
    MaxLogRequests,
    /// `--ignore-errors` (logs).
    IgnoreErrors,
    /// `--target-port` (expose).
    TargetPort,
    /// `--protocol` (expose).
    Protocol,
    /// `--name` (expose).
    ServiceName,
    /// `--cluster-ip` (expose).
    ClusterIp,
    /// `--tcp` (create service): `PORT[:TARGET]`, repeatable, comma-separated.
    Tcp,
    /// `--clusterip` (create service clusterip).
    ServiceClusterIp,
    /// `--node-port` (create service nodeport).
    NodePort,
    /// `--external-name` (create service externalname).
    ExternalName,
    /// `--types` (events).
    Types,
    /// `--no-headers` (events).
    NoHeaders,
    /// `--template` (the template of `-o go-template|jsonpath`).
    Template,
    /// `-q, --quiet` (exec).
    Quiet,
    /// `--watch-only` (get): watch without listing first.
    WatchOnly,
    /// `--output-watch-events` (get): an EVENT column (or the watch event objects).
    OutputWatchEvents,
    /// `--recursive` (explain): every field's name and type, as a tree.
    Recursive,
    /// `--current` (config set-context).
    Current,
    /// `--minify` (config view).
    Minify,
    /// `-h, --help`.
    Help,
}

impl Flag {
    /// The long name, without dashes.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Namespace => "namespace",
            Flag::AllNamespaces => "all-namespaces",
            Flag::Selector => "selector",
            Flag::FieldSelector => "field-selector",
            Flag::Output => "output",
            Flag::Overrides => "overrides",
            Flag::OverrideType => "override-type",
            Flag::Template => "template",
            Flag::ShowLabels => "show-labels",
            Flag::LabelColumns => "label-columns",
            Flag::Watch => "watch",
            Flag::SortBy => "sort-by",
            Flag::Filename => "filename",
            Flag::All => "all",
            Flag::Cascade => "cascade",
            Flag::GracePeriod => "grace-period",
            Flag::Now => "now",
            Flag::Force => "force",
            Flag::WaitFlag => "wait",
            Flag::Overwrite => "overwrite",
            Flag::IgnoreDaemonsets => "ignore-daemonsets",
            Flag::DeleteEmptydirData => "delete-emptydir-data",
            Flag::TypeFlag => "type",
            Flag::PatchFlag => "patch",
            Flag::Container => "container",
            Flag::Previous => "previous",
            Flag::Tail => "tail",
            Flag::Prefix => "prefix",
            Flag::Timestamps => "timestamps",
            Flag::AllContainers => "all-containers",
            Flag::Since => "since",
            Flag::LimitBytes => "limit-bytes",
            Flag::MaxLogRequests => "max-log-requests",
            Flag::IgnoreErrors => "ignore-errors",
            Flag::For => "for",
            Flag::Timeout => "timeout",
            Flag::Namespaced => "namespaced",
            Flag::ToRevision => "to-revision",
            Flag::Revision => "revision",
            Flag::Image => "image",
            Flag::Labels => "labels",
            Flag::Taints => "taints",
            Flag::Cpu => "cpu",
            Flag::Memory => "memory",
            Flag::Pods => "pods",
            Flag::ExitCode => "exit-code",
            Flag::Reason => "reason",
            Flag::DryRun => "dry-run",
            Flag::Restart => "restart",
            Flag::Annotations => "annotations",
            Flag::Env => "env",
            Flag::Port => "port",
            Flag::ImagePullPolicy => "image-pull-policy",
            Flag::CommandFlag => "command",
            Flag::Stdin => "stdin",
            Flag::Tty => "tty",
            Flag::Attach => "attach",
            Flag::Rm => "rm",
            Flag::Privileged => "privileged",
            Flag::Expose => "expose",
            Flag::ClientOnly => "client",
            Flag::PodRunningTimeout => "pod-running-timeout",
            Flag::Follow => "follow",
            Flag::TargetPort => "target-port",
            Flag::Protocol => "protocol",
            Flag::ServiceName => "name",
            Flag::ClusterIp => "cluster-ip",
            Flag::Tcp => "tcp",
            Flag::ServiceClusterIp => "clusterip",
            Flag::NodePort => "node-port",
            Flag::ExternalName => "external-name",
            Flag::Types => "types",
            Flag::NoHeaders => "no-headers",
            Flag::WatchOnly => "watch-only",
            Flag::OutputWatchEvents => "output-watch-events",
            Flag::Recursive => "recursive",
            Flag::Quiet => "quiet",
            Flag::Current => "current",
            Flag::Minify => "minify",
            Flag::Help => "help",
        }
    }

    fn short(self) -> Option<char> {
        match self {
            Flag::Namespace => Some('n'),
            Flag::AllNamespaces => Some('A'),
            Flag::Selector => Some('l'),
            Flag::Output => Some('o'),
            Flag::Filename => Some('f'),
            Flag::PatchFlag | Flag::Previous => Some('p'),
            Flag::Container => Some('c'),
            Flag::Help => Some('h'),
            Flag::LabelColumns => Some('L'),
            Flag::Watch => Some('w'),
            // `kubectl run -l` labels the pod; no verb takes both this and `--selector`.
            Flag::Labels => Some('l'),
            Flag::Stdin => Some('i'),
            Flag::Quiet => Some('q'),
            Flag::Tty => Some('t'),
            // `kubectl logs -f`; logs takes no `--filename`.
            Flag::Follow => Some('f'),
            _ => None,
        }
    }

    /// The pflag value type, which decides how a value is checked while flags are parsed.
    fn value_type(self) -> FlagValue {
        match self {
            Flag::GracePeriod
            | Flag::Tail
            | Flag::ToRevision
            | Flag::Revision
            | Flag::ExitCode
            | Flag::LimitBytes
            | Flag::MaxLogRequests
            | Flag::NodePort => FlagValue::Int,
            Flag::Timeout | Flag::PodRunningTimeout | Flag::Since => FlagValue::Duration,
            f if f.is_bool() => FlagValue::Bool,
            _ => FlagValue::String,
        }
    }

    /// pflag's `NoOptDefVal`: the value a flag given without `=value` takes.
    fn no_opt_default(self) -> Option<&'static str> {
        match self {
            f if f.is_bool() => Some("true"),
            Flag::Cascade => Some("background"),
            // `--dry-run` alone: deprecated, means client.
            Flag::DryRun => Some("unchanged"),
            _ => None,
        }
    }

    /// How pflag names the flag in `invalid argument` errors: `-A, --all-namespaces` or `--tail`.
    fn error_name(self) -> String {
        match self.short() {
            Some(c) => format!("-{c}, --{}", self.as_str()),
            None => format!("--{}", self.as_str()),
        }
    }

    fn is_bool(self) -> bool {
        matches!(
            self,
            Flag::AllNamespaces
                | Flag::ShowLabels
                | Flag::All
                | Flag::Now
                | Flag::Force
                | Flag::WaitFlag
                | Flag::Overwrite
                | Flag::IgnoreDaemonsets
                | Flag::DeleteEmptydirData
                | Flag::Previous
                | Flag::Namespaced
                | Flag::Help
                | Flag::Watch
                | Flag::CommandFlag
                | Flag::Stdin
                | Flag::Tty
                | Flag::Attach
                | Flag::Rm
                | Flag::Privileged
                | Flag::Expose
                | Flag::ClientOnly
                | Flag::Follow
                | Flag::NoHeaders
                | Flag::Prefix
                | Flag::Timestamps
                | Flag::AllContainers
                | Flag::IgnoreErrors
                | Flag::Current
                | Flag::Minify
                | Flag::WatchOnly
                | Flag::OutputWatchEvents
                | Flag::Recursive
                | Flag::Quiet
        )
    }
}

/// The pflag value types kubeplay's flags use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FlagValue {
    /// `BoolVar`: `strconv.ParseBool`.
    Bool,
    /// `IntVar` / `Int64Var`: `strconv.ParseInt`.
    Int,
    /// `DurationVar`: `time.ParseDuration`.
    Duration,
    /// Anything else.
    String,
}

/// pflag's check of a flag value: the Go error text (`strconv.ParseInt: parsing "x": invalid
/// syntax`) if the value does not parse as the flag's type.
fn check_flag_value(flag: Flag, v: &str) -> Result<(), String> {
    match flag.value_type() {
        FlagValue::Bool => parse_go_bool(v)
            .map(|_| ())
            .ok_or_else(|| format!("strconv.ParseBool: parsing \"{v}\": invalid syntax")),
        FlagValue::Int => go_parse_int(v).map(|_| ()),
        FlagValue::Duration => go_parse_duration(v).map(|_| ()),
        FlagValue::String => Ok(()),
    }
}

fn parse_go_bool(v: &str) -> Option<bool> {
    match v {
        "true" | "1" | "t" | "T" | "TRUE" | "True" => Some(true),
        "false" | "0" | "f" | "F" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// `strconv.ParseInt(v, 0, 64)`, as pflag's int flags call it (decimal only here).
fn go_parse_int(v: &str) -> Result<i64, String> {
    let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("strconv.ParseInt: parsing \"{v}\": invalid syntax"));
    }
    v.parse::<i64>()
        .map_err(|_| format!("strconv.ParseInt: parsing \"{v}\": value out of range"))
}

/// Go's `time.ParseDuration`, in milliseconds (sub-millisecond parts are dropped), with its
/// error texts.
pub fn go_parse_duration(v: &str) -> Result<Millis, String> {
    let invalid = || format!("time: invalid duration \"{v}\"");
    let (neg, mut rest) = match v.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, v.strip_prefix('+').unwrap_or(v)),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total_ns: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, tail) = rest.split_at(num_len);
        if num.is_empty() || num == "." {
            return Err(invalid());
        }
        let value: f64 = num.parse().map_err(|_| invalid())?;
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let factor = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => return Err(format!("time: missing unit in duration \"{v}\"")),
            _ => return Err(format!("time: unknown unit \"{unit}\" in duration \"{v}\"")),
        };
        total_ns += value * factor;
        if total_ns > 9.3e18 {
            return Err(invalid());
        }
        rest = tail;
    }
    if neg {
        return Ok(0);
    }
    // In range: checked against i64::MAX nanoseconds above.
    Ok((total_ns / 1e6) as Millis)
}

/// The result of flag parsing: flag values in order, positional words, and words after `--`.
#[derive(Debug, Clone, Default, PartialEq)]
struct Parsed {
    flags: Vec<(Flag, String)>,
    args: Vec<String>,
    after_dash: Vec<String>,
}

impl Parsed {
    fn last(&self, f: Flag) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(x, _)| *x == f)
            .map(|(_, v)| v.as_str())
    }

    fn all(&self, f: Flag) -> Vec<String> {
        self.flags
            .iter()
            .filter(|(x, _)| *x == f)
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn bool(&self, f: Flag) -> Result<bool, ParseError> {
        match self.last(f) {
            None => Ok(false),
            Some(v) => parse_bool(v, f),
        }
    }

    /// The flag's last value, unless it is missing or empty.
    fn nonempty(&self, f: Flag) -> Option<String> {
        self.last(f).filter(|v| !v.is_empty()).map(str::to_string)
    }

    fn namespace(&self) -> Option<String> {
        self.last(Flag::Namespace).map(str::to_string)
    }
}

fn parse_bool(v: &str, f: Flag) -> Result<bool, ParseError> {
    parse_go_bool(v).ok_or_else(|| {
        ParseError(format!(
            "Error: invalid argument \"{v}\" for \"{}\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax",
            f.error_name()
        ))
    })
}

/// pflag over the verb's flag set. `cmd_path` names the command in errors (`kubectl get`).
fn parse_flags(words: &[String], allowed: &[Flag], cmd_path: &str) -> Result<Parsed, ParseError> {
    let see = format!("See '{cmd_path} --help' for usage.");
    let find_long = |name: &str| -> Option<Flag> {
        allowed
            .iter()
            .copied()
            .chain(std::iter::once(Flag::Help))
            .find(|f| f.as_str() == name)
    };
    let find_short = |c: char| -> Option<Flag> {
        allowed
            .iter()
            .copied()
            .chain(std::iter::once(Flag::Help))
            .find(|f| f.short() == Some(c))
    };
    let mut out = Parsed::default();
    let mut i = 0;
    while let Some(w) = words.get(i) {
        i += 1;
        if w == "--" {
            out.after_dash = words.get(i..).unwrap_or_default().to_vec();
            break;
        }
        if let Some(long) = w.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let Some(flag) = find_long(name) else {
                return err(format!("Error: unknown flag: --{name}\n{see}"));
            };
            let value = match (inline, flag.no_opt_default()) {
                (Some(v), _) => v,
                (None, Some(d)) => d.to_string(),
                (None, None) => match words.get(i) {
                    Some(v) => {
                        i += 1;
                        v.clone()
                    }
                    None => return err(format!("Error: flag needs an argument: --{name}\n{see}")),
                },
            };
            push_checked(&mut out, flag, value, &see)?;
        } else if w.len() > 1 && w.starts_with('-') && w != "-" {
            let shorts: Vec<char> = w.chars().skip(1).collect();
            let mut j = 0;
            while let Some(&c) = shorts.get(j) {
                j += 1;
                let Some(flag) = find_short(c) else {
                    return err(format!(
                        "Error: unknown shorthand flag: '{c}' in {w}\n{see}"
                    ));
                };
                if let Some(default) = flag.no_opt_default() {
                    if shorts.get(j) == Some(&'=') {
                        let v: String = shorts.get(j + 1..).unwrap_or_default().iter().collect();
                        push_checked(&mut out, flag, v, &see)?;
                        break;
                    }
                    out.flags.push((flag, default.to_string()));
                    continue;
                }
                let rest: String = shorts.get(j..).unwrap_or_default().iter().collect();
                let value = if !rest.is_empty() {
                    rest.strip_prefix('=').unwrap_or(&rest).to_string()
                } else {
                    match words.get(i) {
                        Some(v) => {
                            i += 1;
                            v.clone()
                        }
                        None => {
                            return err(format!(
                                "Error: flag needs an argument: '{c}' in -{c}\n{see}"
                            ))
                        }
                    }
                };
                push_checked(&mut out, flag, value, &see)?;
                break;
            }
        } else {
            out.args.push(w.clone());
        }
    }
    Ok(out)
}

/// Records a flag value after pflag's type check (`Error: invalid argument "x" for "--tail"
/// flag: …`).
fn push_checked(out: &mut Parsed, flag: Flag, value: String, see: &str) -> Result<(), ParseError> {
    if let Err(why) = check_flag_value(flag, &value) {
        return err(format!(
            "Error: invalid argument \"{value}\" for \"{}\" flag: {why}\n{see}",
            flag.error_name()
        ));
    }
    out.flags.push((flag, value));
    Ok(())
}

// -------------------------------------------------------------------------------------------
// Commands
// -------------------------------------------------------------------------------------------

/// How `get` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputFormat {
    /// The default table.
    Table,
    /// `-o wide`.
    Wide,
    /// `-o yaml`.
    Yaml,
    /// `-o json`.
    Json,
    /// `-o name`.
    Name,
    /// `-o jsonpath=TEMPLATE`.
    JsonPath(String),
    /// `-o go-template=TEMPLATE` (`template`, or `--template` alone).
    GoTemplate(String),
    /// `-o custom-columns=SPEC`.
    CustomColumns(String),
}

/// `-o` with `--template`: the template may come from either; `--template` alone means
/// go-template (kubectl's `PrintFlags`).
fn output_format(p: &Parsed) -> Result<OutputFormat, ParseError> {
    let template = p.last(Flag::Template);
    let v = p.last(Flag::Output).unwrap_or("");
    let v = match (v, template) {
        ("", Some(_)) => "go-template",
        _ => v,
    };
    match (v.split_once('='), template) {
        (None, Some(t)) if matches!(v, "go-template" | "template" | "jsonpath") => {
            parse_output(&format!("{v}={t}"))
        }
        _ => parse_output(v),
    }
}

fn parse_output(v: &str) -> Result<OutputFormat, ParseError> {
    let (name, arg) = match v.split_once('=') {
        Some((n, a)) => (n, Some(a)),
        None => (v, None),
    };
    Ok(match (name, arg) {
        ("go-template" | "template", Some(t)) => OutputFormat::GoTemplate(t.to_string()),
        ("go-template" | "template", None) => {
            return err("error: template format specified but no template given")
        }
        ("go-template-file" | "templatefile" | "jsonpath-file" | "custom-columns-file", _) => {
            return err(format!(
                "error: kubeplay has no files to read a template from: use -o {}=TEMPLATE",
                name.trim_end_matches("-file").trim_end_matches("file")
            ))
        }
        ("" | "table", None) => OutputFormat::Table,
        ("wide", None) => OutputFormat::Wide,
        ("yaml", None) => OutputFormat::Yaml,
        ("json", None) => OutputFormat::Json,
        ("name", None) => OutputFormat::Name,
        ("jsonpath", Some(t)) => OutputFormat::JsonPath(t.to_string()),
        ("jsonpath", None) => {
            return err("error: template format specified but no template given")
        }
        ("custom-columns", Some(t)) => OutputFormat::CustomColumns(t.to_string()),
        ("custom-columns", None) => {
            return err("error: custom-columns format specified but no custom columns given")
        }
        _ => {
            return err(format!(
                "error: unable to match a printer suitable for the output format \"{v}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
            ))
        }
    })
}

/// One resource a command names: a whole kind, or one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceArg {
    /// Every object of a kind (`get pods`).
    Kind(Kind),
    /// One object (`get pod x`, `pod/x`).
    Named(Kind, String),
}

impl ResourceArg {
    /// The kind.
    pub fn kind(&self) -> Kind {
        match self {
            ResourceArg::Kind(k) | ResourceArg::Named(k, _) => *k,
        }
    }
}

/// Resolves a resource type word, with kubectl's error for unknown ones.
pub fn resolve_kind(word: &str) -> Result<Kind, ParseError> {
    Kind::from_resource(word).ok_or_else(|| {
        let note = super::elsewhere::by_resource(word)
            .map(|k| format!("\n{}", k.note()))
            .unwrap_or_default();
        ParseError(format!(
            "error: the server doesn't have a resource type \"{word}\"{note}"
        ))
    })
}

/// `TYPE[,TYPE] [NAME…]` or `TYPE/NAME…` (`resource.Builder.ResourceTypeOrNameArgs`).
fn resource_args(args: &[String]) -> Result<Vec<ResourceArg>, ParseError> {
    let Some(first) = args.first() else {
        return Ok(Vec::new());
    };
    if first.contains('/') {
        let mut out = Vec::new();
        for a in args {
            let Some((t, n)) = a.split_once('/') else {
                return err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'");
            };
            if n.is_empty() || t.is_empty() {
                return err(
                    "error: arguments in resource/name form must have a single resource and name",
                );
            }
            out.push(ResourceArg::Named(resolve_kind(t)?, n.to_string()));
        }
        return Ok(out);
    }
    let mut kinds = Vec::new();
    for t in first.split(',') {
        if t.is_empty() {
            continue;
        }
        if t == "all" {
            // The `all` category, of the kinds kubeplay serves, in discovery order.
            kinds.extend([Kind::Pod, Kind::Service, Kind::DaemonSet, Kind::Job]);
            continue;
        }
        kinds.push(resolve_kind(t)?);
    }
    let names = args.get(1..).unwrap_or_default();
    if names.iter().any(|n| n.contains('/')) {
        return err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'");
    }
    if names.is_empty() {
        return Ok(kinds.into_iter().map(ResourceArg::Kind).collect());
    }
    let mut out = Vec::new();
    for k in kinds {
        for n in names {
            out.push(ResourceArg::Named(k, n.clone()));
        }
    }
    Ok(out)
}

/// `kubectl get`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetCmd {
    /// What to list.
    pub resources: Vec<ResourceArg>,
    /// `-n`.
    pub namespace: Option<String>,
    /// `-A`.
    pub all_namespaces: bool,
    /// `-l`.
    pub selector: Option<String>,
    /// `--field-selector`.
    pub field_selector: Option<String>,
    /// `-o`.
    pub output: OutputFormat,
    /// `--show-labels`.
    pub show_labels: bool,
    /// `-L, --label-columns`: one extra column per label key, in order.
    pub label_columns: Vec<String>,
    /// `-w, --watch`: lists, then prints every change while later commands move time (see
    /// `kubectl::watch`).
    pub watch: bool,
    /// `--watch-only`: watches without listing first.
    pub watch_only: bool,
    /// `--output-watch-events`: prints each change's type (an EVENT column).
    pub output_watch_events: bool,
    /// `--no-headers`: tables and custom columns without their header line.
    pub no_headers: bool,
    /// `--sort-by`.
    pub sort_by: Option<String>,
    /// `-f` files whose objects to get.
    pub files: Vec<String>,
}

/// `kubectl describe`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribeCmd {
    /// What to describe (a bare name is a name prefix, as upstream).
    pub resources: Vec<ResourceArg>,
    /// `-n`.
    pub namespace: Option<String>,
    /// `-A`.
    pub all_namespaces: bool,
    /// `-l`.
    pub selector: Option<String>,
}

/// `apply`, `create` or `replace` with `-f`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileVerb {
    /// `kubectl apply -f`.
    Apply,
    /// `kubectl create -f`.
    Create,
    /// `kubectl replace -f`.
    Replace,
}

/// `kubectl apply|create|replace -f`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileCmd {
    /// Which verb.
    pub verb: FileVerb,
    /// `-f` paths (`-` is stdin).
    pub files: Vec<String>,
    /// `-n`.
    pub namespace: Option<String>,
    /// `--dry-run` (apply and create).
    pub dry_run: DryRun,
    /// `-o` (apply and create; `Table` prints `pod/x created`).
    pub output: OutputFormat,
}

/// `--dry-run`: kubectl's `DryRunStrategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DryRun {
    /// Persist (`none`, the default).
    #[default]
    None,
    /// Only print the object that would be sent (`client`).
    Client,
    /// Send it; the API server defaults, admits and validates it without persisting (`server`).
    Server,
}

impl DryRun {
    /// What kubectl appends to `pod/x created`: ` (dry run)`, ` (server dry run)`.
    pub fn suffix(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }
}

/// `kubectl create service clusterip|nodeport|loadbalancer|externalname NAME …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateServiceCmd {
    /// `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`.
    pub type_: &'static str,
    /// Service name.
    pub name: String,
    /// `--tcp` port specs, split at commas.
    pub tcp: Vec<String>,
    /// `--clusterip`.
    pub cluster_ip: Option<String>,
    /// `--node-port` (0: allocate).
    pub node_port: i32,
    /// `--external-name`.
    pub external_name: Option<String>,
    /// `-n`.
    pub namespace: Option<String>,
    /// `--dry-run`.
    pub dry_run: DryRun,
    /// `-o`.
    pub output: OutputFormat,
}

/// The `kubectl create service` subcommands: the Service type each creates and the flags it
/// takes besides the common ones.
fn create_service_kind(sub: &str) -> Option<(&'static str, &'static [Flag])> {
    use Flag::*;
    Some(match sub {
        "clusterip" => ("ClusterIP", &[Tcp, ServiceClusterIp]),
        "nodeport" => ("NodePort", &[Tcp, NodePort]),
        "loadbalancer" => ("LoadBalancer", &[Tcp]),
        "externalname" => ("ExternalName", &[Tcp, ExternalName]),
        _ => return None,
    })
}

/// The flags `kubectl create service SUB` accepts.
fn create_service_flags(sub: &str) -> Vec<Flag> {
    let mut flags = vec![Flag::Namespace, Flag::DryRun, Flag::Output, Flag::Template];
    if let Some((_, extra)) = create_service_kind(sub) {
        flags.extend_from_slice(extra);
    }
    flags
}

/// `kubectl create job NAME --image=IMG -- CMD…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateJobCmd {
    /// Job name.
    pub name: String,
    /// Container image.
    pub image: String,
    /// Command after `--`.
    pub command: Vec<String>,
    /// `-n`.
    pub namespace: Option<String>,
    /// `--dry-run`.
    pub dry_run: DryRun,
    /// `-o` (`Table` prints `job.batch/x created`).
    pub output: OutputFormat,
}

/// `kubectl events [--for TYPE/NAME] [--types=Normal,Warning]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventsCmd {
    /// `--for`: only events about this object.
    pub for_object: Option<(Kind, String)>,
    /// `--types` (empty: all).
    pub types: Vec<String>,
    /// `-A`.
    pub all_namespaces: bool,
    /// `--no-headers`.
    pub no_headers: bool,
    /// `-o` (`Table`: kubectl's event table).
    pub output: OutputFormat,
    /// `-w`.
    pub watch: bool,
    /// `-n`.
    pub namespace: Option<String>,
}

/// `kubectl expose (TYPE NAME | TYPE/NAME) [--port=…]`: a Service for a pod's or a
/// Service's selector (`service/v2` generator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExposeCmd {
    /// What to expose.
    pub target: ResourceArg,
    /// `--port` (comma-separated; from the object when absent).
    pub port: Option<String>,
    /// `--target-port`.
    pub target_port: Option<String>,
    /// `--protocol`.
    pub protocol: Option<String>,
    /// `--name` (default: the object's name).
    pub name: Option<String>,
    /// `--type`.
    pub service_type: Option<String>,
    /// `--cluster-ip` (`None` for a headless Service).
    pub cluster_ip: Option<String>,
    /// `-l, --labels` (default: the object's labels).
    pub labels: Option<String>,
    /// `--selector` (default: the pod's labels, the Service's selector).
    pub selector: Option<String>,
    /// `--dry-run`.
    pub dry_run: DryRun,
    /// `-o`.
    pub output: OutputFormat,
    /// `-n`.
    pub namespace: Option<String>,
}

/// `kubectl run NAME --image=IMG [flags] [-- ARGS…]`: one bare pod, as kubectl's `run-pod/v1`
/// generator builds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunCmd {
    /// Pod (and container) name.
    pub name: String,
    /// Container image.
    pub image: String,
    /// Words after NAME: the container's `args`, or its `command` with `--command`.
    pub args: Vec<String>,
    /// `--command`.
    pub command: bool,
    /// `--restart` (empty: Always, or OnFailure with `-i`).
    pub restart: String,
    /// `-l, --labels` (default `run=NAME`).
    pub labels: Vec<(String, String)>,
    /// `--annotations`.
    pub annotations: Vec<(String, String)>,
    /// `--env`.
    pub env: Vec<(String, String)>,
    /// `--port`.
    pub port: Option<i64>,
    /// `--image-pull-policy`.
    pub image_pull_policy: Option<String>,
    /// `-i, --stdin`.
    pub stdin: bool,
    /// `-t, --tty`.
    pub tty: bool,
    /// `--attach` (default: `--stdin`).
    pub attach: bool,
    /// `--rm`.
    pub rm: bool,
    /// `--privileged`.
    pub privileged: bool,
    /// `--expose`: also a ClusterIP Service for the pod.
    pub expose: bool,
    /// Whether `-l, --labels` was given (the Service `--expose` makes carries them).
    pub labels_given: bool,
    /// `--pod-running-timeout` (default 1m).
    pub pod_running_timeout: Millis,
    /// `--dry-run`.
    pub dry_run: DryRun,
    /// `-o`.
    pub output: OutputFormat,
    /// `-n` (printed in the client object only when given).
    pub namespace: Option<String>,
    /// `--overrides` (parsed JSON) with `--override-type` (`merge`, `json` or `strategic`).
    pub overrides: Option<(String, serde_json::Value)>,
}

/// `kubectl delete`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteCmd {
    /// What to delete.
    pub resources: Vec<ResourceArg>,
    /// `-f` files.
    pub files: Vec<String>,
    /// `-n`.
    pub namespace: Option<String>,
    /// `-A`.
    pub all_namespaces: bool,
    /// `-l`.
    pub selector: Option<String>,
    /// `--field-selector`.
    pub field_selector: Option<String>,
    /// `--all`.
    pub all: bool,
    /// `--cascade`.
    pub cascade: Propagation,
    /// `--grace-period` (`--now` = 1, `--force` with 0).
    pub grace_period: Option<i64>,
    /// `--force`.
    pub force: bool,
    /// `--wait` (default true).
    pub wait: bool,
}

/// Labels or annotations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaField {
    /// `kubectl label`.
    Labels,
    /// `kubectl annotate`.
    Annotations,
}

/// `kubectl label|annotate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelCmd {
    /// Labels or annotations.
    pub field: MetaField,
    /// Objects.
    pub resources: Vec<ResourceArg>,
    /// `key=value` sets.
    pub set: Vec<(String, String)>,
    /// `key-` removals.
    pub remove: Vec<String>,
    /// `--overwrite`.
    pub overwrite: bool,
    /// `-n`.
    pub namespace: Option<String>,
    /// `-l`.
    pub selector: Option<String>,
    /// `--all`.
    pub all: bool,
}

/// One `key[=value]:Effect[-]` argument of `kubectl taint`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaintArg {
    /// Key.
    pub key: String,
    /// Value ("" if none).
    pub value: String,
    /// Effect ("" only for removals of every effect).
    pub effect: String,
    /// Trailing `-`: remove.
    pub remove: bool,
}

/// `kubectl taint nodes NODE …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaintCmd {
    /// Node names.
    pub nodes: Vec<String>,
    /// Taints to add or remove.
    pub taints: Vec<TaintArg>,
    /// `--overwrite`.
    pub overwrite: bool,
}

/// `kubectl drain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrainCmd {
    /// The nodes.
    pub nodes: Vec<String>,
    /// `--ignore-daemonsets`.
    pub ignore_daemonsets: bool,
    /// `--force`.
    pub force: bool,
    /// `--delete-emptydir-data`.
    pub delete_emptydir_data: bool,
    /// `--grace-period` (-1 = the pod's own).
    pub grace_period: Option<i64>,
}

/// `kubectl patch`.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchCmd {
    /// The object.
    pub target: (Kind, String),
    /// `--type` (default strategic).
    pub patch_type: PatchType,
    /// `-p` text.
    pub patch: String,
    /// `-n`.
    pub namespace: Option<String>,
}

/// `kubectl exec`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecCmd {
    /// `POD` or `TYPE/NAME`.
    pub target: ResourceArg,
    /// `-c`.
    pub container: Option<String>,
    /// The command after `--`.
    pub command: Vec<String>,
    /// `-i` and `-t` both: an interactive terminal was asked for.
    pub interactive: bool,
    /// `-q`.
    pub quiet: bool,
    /// `-n`.
    pub namespace: Option<String>,
}

/// `kubectl logs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogsCmd {
    /// `POD` or `TYPE/NAME`; with `-l`, every pod (`ResourceArg::Kind(Kind::Pod)`).
    pub target: ResourceArg,
    /// `-l`.
    pub selector: Option<String>,
    /// `-c`.
    pub container: Option<String>,
    /// `-p`.
    pub previous: bool,
    /// `--tail` (-1 = all).
    pub tail: i64,
    /// `-f, --follow`: prints what was written so far (simulated time does not move while a
    /// command runs) and says so.
    pub follow: bool,
    /// `-n`.
    pub namespace: Option<String>,
    /// `--prefix`, `--timestamps`, `--all-containers`, `--since`, `--limit-bytes`,
    /// `--max-log-requests`.
    pub opts: LogOpts,
}

/// The output options of `kubectl logs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogOpts {
    /// `--prefix`: each line starts with `[pod/NAME/CONTAINER] `.
    pub prefix: bool,
    /// `--timestamps`: each line starts with its RFC 3339 time.
    pub timestamps: bool,
    /// `--all-containers`: init containers, then containers.
    pub all_containers: bool,
    /// `--since` in milliseconds (0 = all).
    pub since_ms: u64,
    /// `--limit-bytes` (0 = no limit).
    pub limit_bytes: u64,
    /// `--max-log-requests` (default 5): concurrent streams with `-f`.
    pub max_log_requests: i64,
}

impl Default for LogOpts {
    fn default() -> Self {
        LogOpts {
            prefix: false,
            timestamps: false,
            all_containers: false,
            since_ms: 0,
            limit_bytes: 0,
            max_log_requests: 5,
        }
    }
}

/// What `kubectl wait --for` waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitFor {
    /// `--for=delete`.
    Delete,
    /// `--for=condition=X[=value]` (value default `True`).
    Condition {
        /// Condition type.
        name: String,
        /// Wanted status.
        value: String,
    },
    /// `--for=jsonpath='{…}'=value` (no value: the path exists).
    JsonPath {
        /// The template.
        path: String,
        /// The wanted value.
        value: Option<String>,
    },
}

/// `kubectl wait`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitCmd {
    /// Objects.
    pub resources: Vec<ResourceArg>,
    /// The condition.
    pub for_: WaitFor,
    /// `--timeout` (default 30s).
    pub timeout: Millis,
    /// `-n`.
    pub namespace: Option<String>,
    /// `-l`.
    pub selector: Option<String>,
    /// `--all`.
    pub all: bool,
}

/// `kubectl rollout` subcommands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RolloutAction {
    /// `rollout status`.
    Status,
    /// `rollout history`.
    History,
    /// `rollout undo`.
    Undo,
    /// `rollout restart`.
    Restart,
    /// `rollout pause` (Deployments only: refused for every kind kubeplay serves).
    Pause,
    /// `rollout resume` (likewise).
    Resume,
}

impl RolloutAction {
    /// The subcommand word.
    pub fn as_str(self) -> &'static str {
        match self {
            RolloutAction::Status => "status",
            RolloutAction::History => "history",
            RolloutAction::Undo => "undo",
            RolloutAction::Restart => "restart",
            RolloutAction::Pause => "pause",
            RolloutAction::Resume => "resume",
        }
    }
}

/// `kubectl rollout …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolloutCmd {
    /// Subcommand.
    pub action: RolloutAction,
    /// Objects.
    pub resources: Vec<ResourceArg>,
    /// `--to-revision` / `--revision` (0 = latest / previous).
    pub revision: i64,
    /// `--timeout` for status (0 = forever, bounded by the simulation).
    pub timeout: Option<Millis>,
    /// `-n`.
    pub namespace: Option<String>,
}

/// `kubectl set image`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetImageCmd {
    /// Objects.
    pub resources: Vec<ResourceArg>,
    /// `container=image` pairs (`*` for all containers).
    pub images: Vec<(String, String)>,
    /// `-n`.
    pub namespace: Option<String>,
}

/// `sim node add` options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodeAdd {
    /// Node name.
    pub name: String,
    /// `--labels k=v,…`.
    pub labels: Vec<(String, String)>,
    /// `--taints k=v:Effect,…`.
    pub taints: Vec<TaintArg>,
    /// `--cpu`.
    pub cpu: Option<String>,
    /// `--memory`.
    pub memory: Option<String>,
    /// `--pods`.
    pub pods: Option<String>,
}

/// kubeplay's own `sim` verbs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimCmd {
    /// `sim advance DURATION`.
    Advance(Millis),
    /// `sim time`.
    Time,
    /// `sim seed N`.
    Seed(u64),
    /// `sim node add …`.
    NodeAdd(NodeAdd),
    /// `sim node down|up NAME`.
    NodeUp {
        /// Node name.
        name: String,
        /// Up or down.
        up: bool,
    },
    /// `sim node condition NAME TYPE=True|False…`: what the node's kubelet (for
    /// `NetworkUnavailable`, its network plugin) reports for the condition.
    NodeCondition {
        /// Node name.
        name: String,
        /// The conditions and the status each gets, in the order typed.
        conditions: Vec<(NodeConditionType, String)>,
    },
    /// `sim pod fail NAME|-l SELECTOR [--exit-code N] [--reason R]`.
    PodFail {
        /// Pod name, or `-l SELECTOR` (every matching pod).
        name: PodTarget,
        /// Exit code (default 1).
        exit_code: i32,
        /// Pod-level failure reason.
        reason: Option<String>,
        /// `-n`.
        namespace: Option<String>,
    },
    /// `sim pod succeed NAME|-l SELECTOR`.
    PodSucceed {
        /// Pod name, or `-l SELECTOR` (every matching pod).
        name: PodTarget,
        /// `-n`.
        namespace: Option<String>,
    },
    /// `sim image remove|add IMAGE`.
    Image {
        /// The image.
        image: String,
        /// Add (pullable) or remove.
        available: bool,
    },
    /// `sim dns NAME [-n NS]`: what `nslookup NAME` prints in a pod of the namespace.
    Dns {
        /// The name to resolve.
        name: String,
        /// `-n`: the asking pod's namespace.
        namespace: Option<String>,
    },
    /// `sim curl TARGET[:PORT] [-n NS]`: what `curl` prints in a pod of the namespace.
    Curl {
        /// Host (IP or name) and port, as typed.
        target: String,
        /// `-n`: the asking pod's namespace.
        namespace: Option<String>,
    },
}

/// A parsed command line.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `get`.
    Get(GetCmd),
    /// `describe`.
    Describe(DescribeCmd),
    /// `apply|create|replace -f`.
    File(FileCmd),
    /// `create job`.
    CreateJob(CreateJobCmd),
    /// `create service TYPE NAME`.
    CreateService(Box<CreateServiceCmd>),
    /// `expose`.
    Expose(Box<ExposeCmd>),
    /// `events`.
    Events(EventsCmd),
    /// `diff -f`.
    Diff {
        /// `-f` paths.
        files: Vec<String>,
        /// `-n`.
        namespace: Option<String>,
    },
    /// `create namespace NAME`.
    CreateNamespace {
        /// Namespace name.
        name: String,
        /// `--dry-run`.
        dry_run: DryRun,
        /// `-o`.
        output: OutputFormat,
    },
    /// `run`.
    Run(Box<RunCmd>),
    /// `delete`.
    Delete(DeleteCmd),
    /// `label|annotate`.
    Label(LabelCmd),
    /// `taint`.
    Taint(TaintCmd),
    /// `cordon` (true) / `uncordon` (false).
    Cordon {
        /// Node names.
        nodes: Vec<String>,
        /// Cordon or uncordon.
        cordon: bool,
    },
    /// `drain`.
    Drain(DrainCmd),
    /// `patch`.
    Patch(PatchCmd),
    /// `logs`.
    Logs(LogsCmd),
    /// `exec`.
    Exec(ExecCmd),
    /// `wait`.
    Wait(WaitCmd),
    /// `explain PATH`.
    Explain {
        /// `TYPE[.FIELD…]`.
        path: String,
        /// `--recursive`.
        recursive: bool,
    },
    /// `api-resources`.
    ApiResources {
        /// `-o wide`.
        wide: bool,
        /// `--namespaced=`.
        namespaced: Option<bool>,
    },
    /// `api-versions`.
    ApiVersions,
    /// `version`: `--client` leaves the server out; `-o yaml|json`.
    Version {
        /// `--client`.
        client: bool,
        /// `-o` (empty: the text lines).
        output: String,
    },
    /// `top node|pod`: always kubectl's answer without a metrics-server.
    Top,
    /// `cluster-info`.
    ClusterInfo,
    /// `config …`: runs on the session's kubeconfig, not on the cluster.
    Config(ConfigCmd),
    /// `rollout`.
    Rollout(RolloutCmd),
    /// `set image`.
    SetImage(SetImageCmd),
    /// `sim …`.
    Sim(SimCmd),
    /// `help`.
    Help,
    /// `VERB [SUBCOMMAND] --help`, `help VERB`.
    VerbHelp(Verb, Option<String>),
    /// A command group run without a subcommand (`kubectl rollout`): its help, as a failure.
    SubcommandHelp(Verb),
    /// `help WORD` for a word that is no command.
    UnknownHelpTopic(String),
    /// An empty line or comment.
    Nothing,
}

impl Command {
    /// Whether the command may change the cluster (the session settles after these).
    pub fn mutates(&self) -> bool {
        !matches!(
            self,
            Command::Get(_)
                | Command::Describe(_)
                | Command::Logs(_)
                | Command::Events(_)
                | Command::Diff { .. }
                | Command::Explain { .. }
                | Command::ApiResources { .. }
                | Command::Version { .. }
                | Command::ApiVersions
                | Command::Top
                | Command::ClusterInfo
                | Command::Config(_)
                | Command::Help
                | Command::VerbHelp(..)
                | Command::SubcommandHelp(_)
                | Command::UnknownHelpTopic(_)
                | Command::Nothing
        )
    }
}

/// Every command real kubectl 1.32 has, in the order cobra keeps them (the order `kubectl
/// --help` groups them, then the ungrouped ones): what cobra suggests from, so a typo gets the
/// suggestions real kubectl gives even when the command is one kubeplay lacks.
const KUBECTL_COMMANDS: &[&str] = &[
    "create",
    "expose",
    "run",
    "set",
    "explain",
    "get",
    "edit",
    "delete",
    "rollout",
    "scale",
    "autoscale",
    "certificate",
    "cluster-info",
    "top",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "describe",
    "logs",
    "attach",
    "exec",
    "port-forward",
    "proxy",
    "cp",
    "auth",
    "debug",
    "events",
    "diff",
    "apply",
    "patch",
    "replace",
    "wait",
    "kustomize",
    "label",
    "annotate",
    "completion",
    "api-versions",
    "api-resources",
    "config",
    "plugin",
    "version",
    "options",
];

/// `kubectl create` subcommands (and aliases) for kinds kubeplay does not serve.
const CREATE_SUBCOMMANDS_ELSEWHERE: &[&str] = &[
    "clusterrole",
    "clusterrolebinding",
    "configmap",
    "cm",
    "cronjob",
    "cj",
    "deployment",
    "deploy",
    "ingress",
    "ing",
    "poddisruptionbudget",
    "pdb",
    "priorityclass",
    "pc",
    "quota",
    "resourcequota",
    "role",
    "rolebinding",
    "secret",
    "serviceaccount",
    "sa",
    "token",
];

/// cobra's `SuggestionsFor`: commands within Levenshtein distance 2 (ignoring case), or with
/// the typed prefix.
pub fn suggestions(typed: &str) -> Vec<&'static str> {
    let t = typed.to_lowercase();
    KUBECTL_COMMANDS
        .iter()
        .copied()
        .filter(|name| levenshtein(&t, name) <= 2 || name.starts_with(&t))
        .collect()
}

/// cobra's `unknown command` error for the root command, with its suggestion block.
fn unknown_command(typed: &str) -> ParseError {
    // A real kubectl command kubeplay lacks: cobra would run it, so its `unknown command` block
    // (which would suggest the very word typed) would mislead; say what is missing instead.
    if typed == "edit" {
        return ParseError("error: \"kubectl edit\" is not available in kubeplay (there is no terminal editor): print the object with \"kubectl get TYPE/NAME -o yaml\", change it in the YAML editor and Apply, or use \"kubectl patch\", \"kubectl set image\", \"kubectl label\"".to_string());
    }
    if KUBECTL_COMMANDS.contains(&typed) {
        return ParseError(format!(
            "error: \"kubectl {typed}\" is not available in kubeplay; run \"kubectl --help\" for the commands it simulates"
        ));
    }
    let mut msg = format!("Error: unknown command \"{typed}\" for \"kubectl\"");
    let sugg = suggestions(typed);
    if !sugg.is_empty() {
        msg.push_str("\n\nDid you mean this?");
        for s in sugg {
            msg.push_str(&format!("\n\t{s}"));
        }
        // cobra ends the block with a newline of its own, so a blank line follows.
        msg.push('\n');
    }
    ParseError(msg)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// Parses one command line (an optional leading `kubectl` is dropped).
pub fn parse(line: &str) -> Result<Command, ParseError> {
    let words = tokenize(line)?;
    parse_words(&words)
}

/// Parses already split words.
pub fn parse_words(words: &[String]) -> Result<Command, ParseError> {
    let mut words = words;
    if words.first().map(String::as_str) == Some("kubectl") {
        words = words.get(1..).unwrap_or_default();
        // A bare `kubectl` prints its usage, as `kubectl --help` does.
        if words.is_empty() {
            return Ok(Command::Help);
        }
    }
    // `-n NS` is a global flag: `kubectl -n kube-system get pods` works as well.
    let n_global = match words.first().map(String::as_str) {
        Some("-n" | "--namespace") if words.len() > 2 => 2,
        Some(w)
            if words.len() > 1
                && ((w.starts_with("-n") && w.len() > 2) || w.starts_with("--namespace=")) =>
        {
            1
        }
        _ => 0,
    };
    if n_global > 0 {
        let mut moved: Vec<String> = words.get(n_global..).unwrap_or_default().to_vec();
        let global = words.get(..n_global).unwrap_or_default();
        // After the command's own words but before `--`, so `cmd_path` still sees the
        // subcommand first.
        let at = moved.iter().position(|w| w == "--").unwrap_or(moved.len());
        moved.splice(at..at, global.iter().cloned());
        return parse_words(&moved);
    }
    let Some(first) = words.first() else {
        return Ok(Command::Nothing);
    };
    if first.starts_with('#') {
        return Ok(Command::Nothing);
    }
    if first == "-h" || first == "--help" {
        return Ok(Command::Help);
    }
    let Some(verb) = Verb::from_word(first) else {
        if first.starts_with('-') {
            // `-n` is the only global flag kubeplay has.
            parse_flags(words, &[Flag::Namespace], "kubectl")?;
            return Ok(Command::Help);
        }
        return Err(unknown_command(first));
    };
    let rest = words.get(1..).unwrap_or_default();
    let sub = rest.first().map(String::as_str);
    // `config set-cluster --server=…`: say what kubeplay's kubeconfig is before any flag of a
    // subcommand kubeplay does not have is refused.
    if let (Verb::Config, Some(s)) = (verb, sub) {
        if CONFIG_ELSEWHERE.contains(&s) && !rest.iter().any(|w| w == "-h" || w == "--help") {
            return Ok(Command::Config(ConfigCmd::Unsupported(s.to_string())));
        }
    }
    let cmd_path = match (verb, sub) {
        (Verb::Create, Some("job")) => "kubectl create job".to_string(),
        (Verb::Create, Some("service" | "svc")) => match rest.get(1) {
            Some(k) if create_service_kind(k).is_some() => format!("kubectl create service {k}"),
            _ => "kubectl create service".to_string(),
        },
        (Verb::Create, Some("namespace" | "ns")) => "kubectl create namespace".to_string(),
        (Verb::Create, Some(sub)) if CREATE_SUBCOMMANDS_ELSEWHERE.contains(&sub) => {
            // A real `kubectl create` subcommand for a kind kubeplay does not serve: say so
            // before its flags (`--replicas`, `--from-literal`…) are rejected as unknown.
            return err(format!(
                "error: \"kubectl create {sub}\" is not available in kubeplay (it simulates DaemonSets, Jobs, Pods, Services and Namespaces); run \"kubectl create --help\" for what it can create"
            ));
        }
        (Verb::Set, Some("image")) => "kubectl set image".to_string(),
        (Verb::Config, Some(s)) if !s.starts_with('-') => format!("kubectl config {s}"),
        (Verb::Top, Some("node" | "nodes" | "no")) => "kubectl top node".to_string(),
        (Verb::Top, Some("pod" | "pods" | "po")) => "kubectl top pod".to_string(),
        (
            Verb::Rollout,
            Some(s @ ("status" | "history" | "undo" | "restart" | "pause" | "resume")),
        ) => {
            format!("kubectl rollout {s}")
        }
        (Verb::Sim | Verb::Help, _) => verb.as_str().to_string(),
        _ => format!("kubectl {}", verb.as_str()),
    };
    let service_flags;
    let allowed = match (verb, sub) {
        (Verb::Create, Some("service" | "svc")) => {
            service_flags = create_service_flags(rest.get(1).map_or("", String::as_str));
            service_flags.as_slice()
        }
        _ => verb.flags(),
    };
    let p = parse_flags(rest, allowed, &cmd_path)?;
    if p.bool(Flag::Help)? {
        return Ok(if verb == Verb::Help {
            Command::Help
        } else {
            let sub = match verb {
                // `create service clusterip --help`: the subcommand's own page.
                Verb::Create
                    if matches!(p.args.first().map(String::as_str), Some("service" | "svc")) =>
                {
                    Some(match p.args.get(1) {
                        Some(k) if create_service_kind(k).is_some() => format!("service {k}"),
                        _ => "service".to_string(),
                    })
                }
                Verb::Create | Verb::Set | Verb::Rollout | Verb::Top | Verb::Config => {
                    p.args.first().cloned()
                }
                _ => None,
            };
            Command::VerbHelp(verb, sub)
        });
    }
    match verb {
        Verb::Get => parse_get(p),
        Verb::Describe => parse_describe(p),
        Verb::Apply => parse_file(p, FileVerb::Apply),
        Verb::Replace => parse_file(p, FileVerb::Replace),
        Verb::Create => parse_create(p),
        Verb::Run => parse_run(p),
        Verb::Expose => parse_expose(p),
        Verb::Delete => parse_delete(p),
        Verb::Label => parse_label(p, MetaField::Labels),
        Verb::Annotate => parse_label(p, MetaField::Annotations),
        Verb::Taint => parse_taint(p),
        Verb::Cordon | Verb::Uncordon => {
            if p.args.is_empty() {
                return err(format!(
                    "error: USAGE: {} NODE [flags]\nSee 'kubectl {} -h' for help and examples",
                    verb.as_str(),
                    verb.as_str()
                ));
            }
            Ok(Command::Cordon {
                nodes: p.args,
                cordon: verb == Verb::Cordon,
            })
        }
        Verb::Drain => parse_drain(p),
        Verb::Patch => parse_patch(p),
        Verb::Logs => parse_logs(p),
        Verb::Exec => parse_exec(p),
        Verb::Events => parse_events(p),
        Verb::Diff => {
            let files = p.all(Flag::Filename);
            if files.is_empty() {
                return err("error: must specify one of -f and -k");
            }
            Ok(Command::Diff {
                files,
                namespace: p.namespace(),
            })
        }
        Verb::Wait => parse_wait(p),
        Verb::Explain => match p.args.as_slice() {
            [path] => Ok(Command::Explain {
                path: path.clone(),
                recursive: p.bool(Flag::Recursive)?,
            }),
            [] => err("error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources."),
            _ => err("error: We accept only this format: explain RESOURCE"),
        },
        Verb::ApiResources => {
            if !p.args.is_empty() {
                return err(format!(
                    "Error: unexpected arguments: [{}]\nSee 'kubectl api-resources -h' for help and examples",
                    p.args.join(" ")
                ));
            }
            let wide = match p.last(Flag::Output) {
                None => false,
                Some("wide") => true,
                Some(o) => {
                    return err(format!(
                        "error: --output {o} is not available"
                    ))
                }
            };
            let namespaced = match p.last(Flag::Namespaced) {
                None => None,
                Some(v) => Some(parse_bool(v, Flag::Namespaced)?),
            };
            Ok(Command::ApiResources { wide, namespaced })
        }
        Verb::ApiVersions => match p.args.as_slice() {
            [] => Ok(Command::ApiVersions),
            extra => err(format!(
                "Error: unexpected arguments: [{}]\nSee 'kubectl api-versions -h' for help and examples",
                extra.join(" ")
            )),
        },
        Verb::Version => match p.args.as_slice() {
            [] => {
                // `Validate`.
                let output = p.last(Flag::Output).unwrap_or("").to_string();
                if !matches!(output.as_str(), "" | "yaml" | "json") {
                    return err("error: --output must be 'yaml' or 'json'");
                }
                Ok(Command::Version {
                    client: p.bool(Flag::ClientOnly)?,
                    output,
                })
            }
            extra => err(format!("error: extra arguments: [{}]", extra.join(" "))),
        },
        Verb::Top => match p.args.first().map(String::as_str) {
            None => Ok(Command::SubcommandHelp(Verb::Top)),
            Some("node" | "nodes" | "no" | "pod" | "pods" | "po") => Ok(Command::Top),
            Some(other) => Err(unknown_subcommand(Verb::Top, other)),
        },
        Verb::Rollout => parse_rollout(p),
        Verb::ClusterInfo => match p.args.first().map(String::as_str) {
            None => Ok(Command::ClusterInfo),
            Some("dump") => err("error: \"kubectl cluster-info dump\" is not available in kubeplay; kubectl get events -A, kubectl describe nodes and kubectl logs show the same state"),
            Some(other) => err(format!("error: unknown command \"{other}\" for \"kubectl cluster-info\"")),
        },
        Verb::Config => parse_config(p),
        Verb::Set => parse_set(p),
        Verb::Sim => parse_sim(p),
        Verb::Help => match p.args.first() {
            None => Ok(Command::Help),
            Some(topic) => match Verb::from_word(topic) {
                Some(Verb::Help) | None => Ok(Command::UnknownHelpTopic(topic.clone())),
                Some(v) => Ok(Command::VerbHelp(v, p.args.get(1).cloned())),
            },
        },
    }
}

/// `cmdutil.DefaultSubCommandRun`'s error for a word that is none of a group's subcommands.
/// `kubectl config SUBCOMMAND`: kubeplay's kubeconfig holds one context, `kubeplay`, whose
/// namespace the learner may set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigCmd {
    /// `config view [--minify] [-o yaml|json|jsonpath=…]`.
    View {
        /// `--minify`.
        minify: bool,
        /// `-o`.
        output: OutputFormat,
    },
    /// `config current-context`.
    CurrentContext,
    /// `config get-contexts [NAME] [-o name]`.
    GetContexts {
        /// Only this context.
        name: Option<String>,
        /// `-o name`.
        names_only: bool,
    },
    /// `config get-clusters`.
    GetClusters,
    /// `config get-users`.
    GetUsers,
    /// `config set-context [NAME | --current] [--namespace=NS]`.
    SetContext {
        /// The context named (`None` with `--current`).
        name: Option<String>,
        /// `--namespace` (`Some("")` clears it).
        namespace: Option<String>,
    },
    /// `config use-context NAME`.
    UseContext(String),
    /// A real subcommand kubeplay does not offer (it has one cluster and one user).
    Unsupported(String),
}

/// Which pods `sim pod fail|succeed` acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PodTarget {
    /// One pod (`NAME` or `pod/NAME`).
    Name(String),
    /// Every pod `-l SELECTOR` matches in the namespace, by name.
    Selector(String),
}

fn pod_target(p: &Parsed, rest: &[&str], verb: &str) -> Result<PodTarget, ParseError> {
    // `-l` is `--labels` for `sim node add`; here it selects pods.
    match (rest, p.last(Flag::Labels)) {
        ([name], None) => Ok(PodTarget::Name(
            name.strip_prefix("pod/")
                .or_else(|| name.strip_prefix("pods/"))
                .unwrap_or(name)
                .to_string(),
        )),
        ([], Some(sel)) => Ok(PodTarget::Selector(sel.to_string())),
        ([_], Some(_)) => err(format!(
            "error: sim pod {verb} takes a pod name or -l SELECTOR, not both"
        )),
        _ => err(format!(
            "error: usage: sim pod {verb} NAME|-l SELECTOR [-n NAMESPACE]"
        )),
    }
}

/// Real `kubectl config` subcommands that edit clusters, users or contexts kubeplay has only one of.
const CONFIG_ELSEWHERE: &[&str] = &[
    "delete-cluster",
    "delete-context",
    "delete-user",
    "rename-context",
    "set",
    "set-cluster",
    "set-credentials",
    "unset",
];

fn parse_config(p: Parsed) -> Result<Command, ParseError> {
    let Some((sub, args)) = p.args.split_first() else {
        return Ok(Command::SubcommandHelp(Verb::Config));
    };
    let extra = |n: usize| -> Result<(), ParseError> {
        match args.get(n..) {
            Some(rest) if !rest.is_empty() => err(format!(
                "error: unexpected args: [{}]\nSee 'kubectl config {sub} -h' for help and examples",
                rest.join(" ")
            )),
            _ => Ok(()),
        }
    };
    let cmd = match sub.as_str() {
        "view" => {
            extra(0)?;
            ConfigCmd::View {
                minify: p.bool(Flag::Minify)?,
                output: match output_format(&p)? {
                    OutputFormat::Table => OutputFormat::Yaml,
                    o => o,
                },
            }
        }
        // kubectl ignores arguments here.
        "current-context" => ConfigCmd::CurrentContext,
        "get-contexts" => {
            extra(1)?;
            ConfigCmd::GetContexts {
                name: args.first().cloned(),
                names_only: match p.last(Flag::Output) {
                    None | Some("") => false,
                    Some("name") => true,
                    Some(o) => {
                        return err(format!("error: output must be one of '' or 'name': {o}"))
                    }
                },
            }
        }
        "get-clusters" => {
            extra(0)?;
            ConfigCmd::GetClusters
        }
        "get-users" => {
            extra(0)?;
            ConfigCmd::GetUsers
        }
        "set-context" => {
            extra(1)?;
            let current = p.bool(Flag::Current)?;
            let name = args.first().cloned();
            if current && name.is_some() {
                return err("error: you cannot specify both a context name and --current");
            }
            if !current && name.is_none() {
                return err("error: you must specify a non-empty context name or --current");
            }
            ConfigCmd::SetContext {
                name,
                namespace: p.last(Flag::Namespace).map(str::to_string),
            }
        }
        "use-context" | "use" => match args {
            [name] => ConfigCmd::UseContext(name.clone()),
            _ => return err("error: Unexpected args: []"),
        },
        s if CONFIG_ELSEWHERE.contains(&s) => ConfigCmd::Unsupported(sub.clone()),
        other => return Err(unknown_subcommand(Verb::Config, other)),
    };
    Ok(Command::Config(cmd))
}

fn unknown_subcommand(verb: Verb, word: &str) -> ParseError {
    ParseError(format!(
        "error: unknown command \"{word}\"\nSee 'kubectl {} -h' for help and examples",
        verb.as_str()
    ))
}

fn no_resources() -> ParseError {
    ParseError(String::from(
        "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
    ))
}

fn check_ns_flags(p: &Parsed) -> Result<(), ParseError> {
    if p.last(Flag::Namespace) == Some("") {
        return err("error: the namespace from the provided object \"\" does not match the namespace \"\". You must pass '--namespace=' to perform this operation.");
    }
    Ok(())
}

fn parse_get(p: Parsed) -> Result<Command, ParseError> {
    check_ns_flags(&p)?;
    let files = p.all(Flag::Filename);
    let resources = resource_args(&p.args)?;
    if resources.is_empty() && files.is_empty() {
        return err("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples");
    }
    let output = output_format(&p)?;
    let show_labels = p.bool(Flag::ShowLabels)?;
    // `Validate` (after `Complete` has built the printer): labels are a column of the table.
    let output_flag = p.last(Flag::Output).unwrap_or("");
    if show_labels && !output_flag.is_empty() && output_flag != "wide" {
        return err(format!(
            "error: --show-labels option cannot be used with {output_flag} printer"
        ));
    }
    let watch = p.bool(Flag::Watch)?;
    let watch_only = p.bool(Flag::WatchOnly)?;
    let output_watch_events = p.bool(Flag::OutputWatchEvents)?;
    if output_watch_events && !(watch || watch_only) {
        return err("error: --output-watch-events option can only be used with --watch or --watch-only\nSee 'kubectl get -h' for help and examples");
    }
    Ok(Command::Get(GetCmd {
        resources,
        namespace: p.namespace(),
        all_namespaces: p.bool(Flag::AllNamespaces)?,
        selector: p.last(Flag::Selector).map(str::to_string),
        field_selector: p.last(Flag::FieldSelector).map(str::to_string),
        output,
        show_labels,
        label_columns: p
            .all(Flag::LabelColumns)
            .iter()
            .flat_map(|v| v.split(','))
            .filter(|k| !k.is_empty())
            .map(str::to_string)
            .collect(),
        watch,
        watch_only,
        output_watch_events,
        no_headers: p.bool(Flag::NoHeaders)?,
        sort_by: p.last(Flag::SortBy).map(str::to_string),
        files,
    }))
}

fn parse_describe(p: Parsed) -> Result<Command, ParseError> {
    let resources = resource_args(&p.args)?;
    if resources.is_empty() {
        return err("error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.");
    }
    Ok(Command::Describe(DescribeCmd {
        resources,
        namespace: p.namespace(),
        all_namespaces: p.bool(Flag::AllNamespaces)?,
        selector: p.last(Flag::Selector).map(str::to_string),
    }))
}

fn parse_file(p: Parsed, verb: FileVerb) -> Result<Command, ParseError> {
    let files = p.all(Flag::Filename);
    // apply and create refuse arguments before looking at -f; replace ignores them.
    if !p.args.is_empty() && verb != FileVerb::Replace {
        return err(format!(
            "error: Unexpected args: [{}]\nSee 'kubectl {} -h' for help and examples",
            p.args.join(" "),
            match verb {
                FileVerb::Apply => "apply",
                FileVerb::Create => "create",
                FileVerb::Replace => "replace",
            }
        ));
    }
    let dry_run = parse_dry_run(&p)?;
    let output = parse_print_output(&p)?;
    if files.is_empty() {
        return err("error: must specify one of -f and -k");
    }
    Ok(Command::File(FileCmd {
        verb,
        files,
        namespace: p.namespace(),
        dry_run,
        output,
    }))
}

/// `cmdutil.GetDryRunStrategyFromFlag`.
fn parse_dry_run(p: &Parsed) -> Result<DryRun, ParseError> {
    match p.last(Flag::DryRun) {
        None | Some("none") => Ok(DryRun::None),
        Some("client") => Ok(DryRun::Client),
        Some("server") => Ok(DryRun::Server),
        // The flag without a value; `exec` prints kubectl's deprecation warning.
        Some("unchanged") => Ok(DryRun::Client),
        Some(v) => err(format!(
            "error: Invalid dry-run value ({v}). Must be \"none\", \"server\", or \"client\"."
        )),
    }
}

/// `-o` of a command that creates or changes objects (`genericclioptions.PrintFlags`): no table
/// formats. `Table` stands for the default `pod/x created` message.
fn parse_print_output(p: &Parsed) -> Result<OutputFormat, ParseError> {
    let v = p.last(Flag::Output).unwrap_or("");
    match output_format(p) {
        Ok(
            o @ (OutputFormat::Yaml
            | OutputFormat::Json
            | OutputFormat::Name
            | OutputFormat::JsonPath(_)
            | OutputFormat::GoTemplate(_)),
        ) => Ok(o),
        Ok(OutputFormat::Table) if v.is_empty() => Ok(OutputFormat::Table),
        Err(e) if v.contains("template") || v.starts_with("jsonpath") => Err(e),
        _ => err(format!(
            "Error: unable to match a printer suitable for the output format \"{v}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml"
        )),
    }
}

fn parse_expose(p: Parsed) -> Result<Command, ParseError> {
    let dry_run = parse_dry_run(&p)?;
    let output = parse_print_output(&p)?;
    let resources = resource_args(&p.args)?;
    let target = match resources.as_slice() {
        [] => return Err(no_resources()),
        [ResourceArg::Named(k, n)] => ResourceArg::Named(*k, n.clone()),
        [ResourceArg::Kind(_)] => {
            return err("error: resource(s) were provided, but no name was specified")
        }
        _ => return err("error: multiple resources provided: expose takes one object"),
    };
    Ok(Command::Expose(Box::new(ExposeCmd {
        target,
        port: p.nonempty(Flag::Port),
        target_port: p.nonempty(Flag::TargetPort),
        protocol: p.nonempty(Flag::Protocol),
        name: p.nonempty(Flag::ServiceName),
        service_type: p.nonempty(Flag::TypeFlag),
        cluster_ip: p.nonempty(Flag::ClusterIp),
        labels: p.nonempty(Flag::Labels),
        selector: p.nonempty(Flag::Selector),
        dry_run,
        output,
        namespace: p.namespace(),
    })))
}

/// `kubectl run`, checked in kubectl's order: cobra's required flag, `ToOptions` (dry-run,
/// printer), `Validate`, then the `run-pod/v1` generator's parameters.
fn parse_run(p: Parsed) -> Result<Command, ParseError> {
    const SEE: &str = "\nSee 'kubectl run -h' for help and examples";
    let Some(image) = p.last(Flag::Image) else {
        return err("error: required flag(s) \"image\" not set");
    };
    let dry_run = parse_dry_run(&p)?;
    let output = parse_print_output(&p)?;
    let Some(name) = p.args.first() else {
        return err(format!("error: NAME is required for run{SEE}"));
    };
    if image.is_empty() {
        return err("error: --image is required");
    }
    if !valid_image_reference(image) {
        return err(format!(
            "error: Invalid image name \"{image}\": invalid reference format"
        ));
    }
    let stdin = p.bool(Flag::Stdin)?;
    let tty = p.bool(Flag::Tty)?;
    if tty && !stdin {
        return err(format!(
            "error: -i/--stdin is required for containers with -t/--tty=true{SEE}"
        ));
    }
    let expose = p.bool(Flag::Expose)?;
    if expose && p.last(Flag::Port).unwrap_or("").is_empty() {
        return err(format!(
            "error: --port must be set when exposing a service{SEE}"
        ));
    }
    let restart = match p.last(Flag::Restart).unwrap_or("") {
        "" if stdin => "OnFailure".to_string(),
        "" => "Always".to_string(),
        r @ ("Always" | "OnFailure" | "Never") => r.to_string(),
        r => return err(format!("error: invalid restart policy: {r}{SEE}")),
    };
    let attach = match p.last(Flag::Attach) {
        Some(_) => p.bool(Flag::Attach)?,
        None => stdin,
    };
    let rm = p.bool(Flag::Rm)?;
    if rm && !attach {
        return err(format!(
            "error: --rm should only be used for attached containers{SEE}"
        ));
    }
    if attach && dry_run != DryRun::None {
        return err(format!("error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty){SEE}"));
    }
    let image_pull_policy = match p.last(Flag::ImagePullPolicy).unwrap_or("") {
        "" => None,
        v @ ("Always" | "IfNotPresent" | "Never") => Some(v.to_string()),
        v => return err(format!("error: invalid image pull policy: {v}{SEE}")),
    };
    // The generator: environment, labels, port, annotations.
    let mut env = Vec::new();
    for e in p.all(Flag::Env) {
        match e.split_once('=') {
            Some((k, v)) if !k.is_empty() => env.push((k.to_string(), v.to_string())),
            _ => return err(format!("error: invalid env: {e}")),
        }
    }
    let mut labels = Vec::new();
    match p.last(Flag::Labels) {
        None | Some("") => labels.push(("run".to_string(), name.clone())),
        Some(spec) => {
            for item in spec.split(',') {
                let parts: Vec<&str> = item.split('=').collect();
                let [k, v] = parts.as_slice() else {
                    return err(format!("error: unexpected label spec: {item}"));
                };
                if k.is_empty() {
                    return err("error: unexpected empty label key");
                }
                labels.retain(|(x, _): &(String, String)| x != k);
                labels.push((k.to_string(), v.to_string()));
            }
        }
    }
    let port = match p.last(Flag::Port).unwrap_or("") {
        "" => None,
        v => Some(v.parse::<i64>().map_err(|_| {
            ParseError(format!(
                "error: strconv.Atoi: parsing \"{v}\": invalid syntax"
            ))
        })?),
    };
    let mut annotations = Vec::new();
    for a in p.all(Flag::Annotations) {
        match a.split_once('=') {
            Some((k, v)) if !k.is_empty() => annotations.push((k.to_string(), v.to_string())),
            _ => return err(format!("error: invalid annotations format: {a}")),
        }
    }
    let pod_running_timeout = match p.last(Flag::PodRunningTimeout) {
        Some(v) => parse_duration(v).map_err(|e| ParseError(format!("error: {e}")))?,
        None => 60_000,
    };
    let override_type = p.last(Flag::OverrideType).unwrap_or("merge");
    if !matches!(override_type, "json" | "merge" | "strategic") {
        return err(format!(
            "error: --override-type must be one of (json, merge, strategic), found \"{override_type}\""
        ));
    }
    let overrides = match p.last(Flag::Overrides).unwrap_or("") {
        "" => None,
        text => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(v) => Some((override_type.to_string(), v)),
            Err(e) => return err(format!("error: invalid JSON in --overrides: {e}")),
        },
    };
    let mut args: Vec<String> = p.args.get(1..).unwrap_or_default().to_vec();
    args.extend(p.after_dash.iter().cloned());
    Ok(Command::Run(Box::new(RunCmd {
        overrides,
        name: name.clone(),
        image: image.to_string(),
        args,
        command: p.bool(Flag::CommandFlag)?,
        restart,
        labels,
        annotations,
        env,
        port,
        image_pull_policy,
        stdin,
        tty,
        attach,
        rm,
        privileged: p.bool(Flag::Privileged)?,
        expose,
        labels_given: !p.last(Flag::Labels).unwrap_or("").is_empty(),
        pod_running_timeout,
        dry_run,
        output,
        namespace: p.namespace(),
    })))
}

/// The image reference grammar of `github.com/distribution/reference` (`ReferenceRegexp`):
/// `[domain[:port]/]path[/path…][:tag][@algorithm:hex]`, path components lowercase
/// alphanumerics joined by `.`, `_`, `__` or runs of `-`.
pub fn valid_image_reference(r: &str) -> bool {
    let (rest, digest) = match r.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (r, None),
    };
    if let Some(d) = digest {
        let Some((algo, hex)) = d.split_once(':') else {
            return false;
        };
        let algo_ok = algo.split(['+', '.', '-', '_']).all(|c| {
            c.chars().next().is_some_and(|f| f.is_ascii_alphabetic())
                && c.chars().all(|x| x.is_ascii_alphanumeric())
        });
        if !algo_ok || hex.len() < 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return false;
        }
    }
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest.get(last_slash..).and_then(|t| t.find(':')) {
        Some(i) => (
            rest.get(..last_slash + i).unwrap_or(""),
            rest.get(last_slash + i + 1..),
        ),
        None => (rest, None),
    };
    if let Some(t) = tag {
        let mut cs = t.chars();
        let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        if !cs.next().is_some_and(word)
            || t.len() > 128
            || !cs.all(|c| word(c) || c == '.' || c == '-')
        {
            return false;
        }
    }
    let comps: Vec<&str> = name.split('/').collect();
    let path_ok = |c: &str| -> bool {
        // alpha-numeric (separator alpha-numeric)*; separator := [_.] | __ | -+
        let b = c.as_bytes();
        if b.is_empty() {
            return false;
        }
        let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
        let mut i = 0;
        let mut need_alnum = true;
        while let Some(&x) = b.get(i) {
            if alnum(x) {
                need_alnum = false;
                i += 1;
                continue;
            }
            if need_alnum {
                return false;
            }
            let sep_len = match x {
                b'.' => 1,
                b'_' if b.get(i + 1) == Some(&b'_') => 2,
                b'_' => 1,
                b'-' => b
                    .get(i..)
                    .map_or(0, |r| r.iter().take_while(|&&y| y == b'-').count()),
                _ => return false,
            };
            i += sep_len;
            need_alnum = true;
        }
        !need_alnum
    };
    let domain_ok = |c: &str| -> bool {
        let (host, port) = match c.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (c, None),
        };
        let host_ok = !host.is_empty()
            && host.split('.').all(|part| {
                !part.is_empty()
                    && part.chars().all(|x| x.is_ascii_alphanumeric() || x == '-')
                    && !part.starts_with('-')
                    && !part.ends_with('-')
            });
        host_ok && port.is_none_or(|p| !p.is_empty() && p.chars().all(|x| x.is_ascii_digit()))
    };
    match comps.as_slice() {
        [] => false,
        [only] => path_ok(only),
        [first, rest @ ..] => {
            (path_ok(first) || domain_ok(first)) && rest.iter().all(|c| path_ok(c))
        }
    }
}

fn parse_create(p: Parsed) -> Result<Command, ParseError> {
    if matches!(p.args.first().map(String::as_str), Some("namespace" | "ns")) {
        let dry_run = parse_dry_run(&p)?;
        let output = parse_print_output(&p)?;
        let names = p.args.get(1..).unwrap_or_default();
        let [name] = names else {
            return err(format!(
                "error: exactly one NAME is required, got {}\nSee 'kubectl create namespace -h' for help and examples",
                names.len()
            ));
        };
        return Ok(Command::CreateNamespace {
            name: name.clone(),
            dry_run,
            output,
        });
    }
    if matches!(p.args.first().map(String::as_str), Some("service" | "svc")) {
        return parse_create_service(p);
    }
    if p.args.first().map(String::as_str) == Some("job") {
        let dry_run = parse_dry_run(&p)?;
        let output = parse_print_output(&p)?;
        let names = p.args.get(1..).unwrap_or_default();
        let [name] = names else {
            return err(format!(
                "error: exactly one NAME is required, got {}\nSee 'kubectl create job -h' for help and examples",
                names.len()
            ));
        };
        let Some(image) = p.last(Flag::Image).filter(|i| !i.is_empty()) else {
            return err("error: either --image or --from must be specified");
        };
        return Ok(Command::CreateJob(CreateJobCmd {
            name: name.clone(),
            image: image.to_string(),
            command: p.after_dash.clone(),
            namespace: p.namespace(),
            dry_run,
            output,
        }));
    }
    if p.last(Flag::Image).is_some() {
        return err("Error: unknown flag: --image\nSee 'kubectl create --help' for usage.");
    }
    parse_file(p, FileVerb::Create)
}

/// `kubectl create service TYPE NAME [--tcp=PORT[:TARGET]]…` (`create_service.go`: its
/// `Validate` checks, then the object `createService` builds).
fn parse_create_service(p: Parsed) -> Result<Command, ParseError> {
    let Some(sub) = p.args.get(1) else {
        return Ok(Command::VerbHelp(Verb::Create, Some("service".to_string())));
    };
    let Some((type_, _)) = create_service_kind(sub) else {
        return err(format!(
            "error: unknown command \"{}\"\nSee 'kubectl create service -h' for help and examples",
            p.args.get(1..).unwrap_or_default().join(" ")
        ));
    };
    let dry_run = parse_dry_run(&p)?;
    let output = parse_print_output(&p)?;
    let names = p.args.get(2..).unwrap_or_default();
    let [name] = names else {
        return err(format!(
            "error: exactly one NAME is required, got {}\nSee 'kubectl create service {sub} -h' for help and examples",
            names.len()
        ));
    };
    let tcp: Vec<String> = p
        .all(Flag::Tcp)
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::to_string)
        .collect();
    let cluster_ip = p.last(Flag::ServiceClusterIp).map(str::to_string);
    let node_port = match p.last(Flag::NodePort) {
        Some(v) => parse_int(v, Flag::NodePort)?,
        None => 0,
    };
    let external_name = p.last(Flag::ExternalName).map(str::to_string);
    if type_ == "ExternalName" && external_name.is_none() {
        return err("error: required flag(s) \"external-name\" not set");
    }
    let headless = cluster_ip.as_deref() == Some("None");
    if headless && type_ != "ClusterIP" {
        return err("error: ClusterIP=None can only be used with ClusterIP service type");
    }
    if !headless && tcp.is_empty() && type_ != "ExternalName" {
        return err("error: at least one tcp port specifier must be provided");
    }
    if let Some(n) = &external_name {
        if !crate::engine::validation::is_dns1123_subdomain(n).is_empty() {
            return err(format!("error: invalid service external name {n}"));
        }
    }
    Ok(Command::CreateService(Box::new(CreateServiceCmd {
        type_,
        name: name.clone(),
        tcp,
        cluster_ip,
        node_port,
        external_name,
        namespace: p.namespace(),
        dry_run,
        output,
    })))
}

fn parse_cascade(v: &str) -> Result<Propagation, ParseError> {
    match v {
        "background" | "true" => Ok(Propagation::Background),
        "foreground" => Ok(Propagation::Foreground),
        "orphan" | "false" => Ok(Propagation::Orphan),
        _ => err(format!(
            "error: invalid cascade value ({v}). Must be \"background\", \"foreground\", or \"orphan\""
        )),
    }
}

fn parse_int<T: TryFrom<i64>>(v: &str, f: Flag) -> Result<T, ParseError> {
    go_parse_int(v)
        .and_then(|n| {
            T::try_from(n)
                .map_err(|_| format!("strconv.ParseInt: parsing \"{v}\": value out of range"))
        })
        .map_err(|why| {
            ParseError(format!(
                "Error: invalid argument \"{v}\" for \"{}\" flag: {why}",
                f.error_name()
            ))
        })
}

fn parse_delete(p: Parsed) -> Result<Command, ParseError> {
    let files = p.all(Flag::Filename);
    let resources = resource_args(&p.args)?;
    let all = p.bool(Flag::All)?;
    let selector = p.last(Flag::Selector).map(str::to_string);
    let field_selector = p.last(Flag::FieldSelector).map(str::to_string);
    if resources.is_empty() && files.is_empty() {
        return Err(no_resources());
    }
    if !files.is_empty() && !resources.is_empty() {
        return err("error: Unexpected args: [".to_string()
            + &p.args.join(" ")
            + "]\nSee 'kubectl delete -h' for help and examples");
    }
    let bare_kinds = resources.iter().all(|r| matches!(r, ResourceArg::Kind(_)));
    if files.is_empty() && bare_kinds && !all && selector.is_none() && field_selector.is_none() {
        return err("error: resource(s) were provided, but no name was specified");
    }
    let now = p.bool(Flag::Now)?;
    let force = p.bool(Flag::Force)?;
    let mut grace = match p.last(Flag::GracePeriod) {
        Some(v) => Some(parse_int::<i64>(v, Flag::GracePeriod)?),
        None => None,
    };
    if now {
        if grace.is_some_and(|g| g >= 0) {
            return err("error: --now and --grace-period cannot be specified together");
        }
        grace = Some(1);
    }
    if grace.is_some_and(|g| g < 0) {
        grace = None;
    }
    if all && selector.as_deref().is_some_and(|s| !s.is_empty()) {
        return err("error: setting 'all' parameter but found a non empty selector. ");
    }
    if force && grace.is_none() {
        grace = Some(0);
    }
    if force && grace.is_some_and(|g| g > 0) {
        return err(
            "error: --force and --grace-period greater than 0 cannot be specified together",
        );
    }
    if grace == Some(0) && !force {
        // kubectl turns an explicit zero into 1 unless --force is given.
        grace = Some(1);
    }
    let wait = match p.last(Flag::WaitFlag) {
        None => true,
        Some(v) => parse_bool(v, Flag::WaitFlag)?,
    };
    Ok(Command::Delete(DeleteCmd {
        resources,
        files,
        namespace: p.namespace(),
        all_namespaces: p.bool(Flag::AllNamespaces)?,
        selector,
        field_selector,
        all,
        cascade: parse_cascade(p.last(Flag::Cascade).unwrap_or("background"))?,
        grace_period: grace,
        force,
        wait,
    }))
}

fn parse_label(p: Parsed, field: MetaField) -> Result<Command, ParseError> {
    let what = match field {
        MetaField::Labels => "label",
        MetaField::Annotations => "annotation",
    };
    // `cmdutil.GetResourcesAndPairs`: resources first, then `k=v` / `k-` pairs.
    let mut res_words = Vec::new();
    let mut pairs = Vec::new();
    for a in &p.args {
        let is_pair = (a.contains('=') && !a.starts_with('=')) || (a.ends_with('-') && a != "-");
        if is_pair {
            pairs.push(a.as_str());
        } else if !pairs.is_empty() {
            return err(format!(
                "error: all resources must be specified before {what} changes: {a}"
            ));
        } else {
            res_words.push(a.clone());
        }
    }
    if res_words.is_empty() {
        return err(
            "error: one or more resources must be specified as <resource> <name> or <resource>/<name>",
        );
    }
    let mut set = Vec::new();
    let mut remove = Vec::new();
    for a in pairs {
        match a.split_once('=') {
            Some((k, v)) => set.push((k.to_string(), v.to_string())),
            None => remove.push(a.strip_suffix('-').unwrap_or(a).to_string()),
        }
    }
    if set.is_empty() && remove.is_empty() {
        return err(format!("error: at least one {what} update is required"));
    }
    let resources = resource_args(&res_words)?;
    if resources.is_empty() {
        return Err(no_resources());
    }
    Ok(Command::Label(LabelCmd {
        field,
        resources,
        set,
        remove,
        overwrite: p.bool(Flag::Overwrite)?,
        namespace: p.namespace(),
        selector: p.last(Flag::Selector).map(str::to_string),
        all: p.bool(Flag::All)?,
    }))
}

/// `validation.IsQualifiedName`'s error list (empty when `key` is a valid label key).
fn qualified_name_errors(key: &str) -> Vec<String> {
    const NAME_FMT: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    const DNS_FMT: &str = "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    let parts: Vec<&str> = key.split('/').collect();
    let (prefix, name) = match parts.as_slice() {
        [name] => (None, *name),
        [prefix, name] => (Some(*prefix), *name),
        _ => return vec![String::from("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")],
    };
    let mut errs = Vec::new();
    match prefix {
        Some("") => errs.push(String::from("prefix part must be non-empty")),
        Some(p) => {
            let ok = p.len() <= 253
                && p.split('.').all(|label| {
                    !label.is_empty()
                        && label
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                        && !label.starts_with('-')
                        && !label.ends_with('-')
                });
            if !ok {
                errs.push(DNS_FMT.to_string());
            }
        }
        None => {}
    }
    if name.is_empty() {
        errs.push(String::from("name part must be non-empty"));
    } else {
        if name.len() > 63 {
            errs.push(String::from("name part must be no more than 63 bytes"));
        }
        let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        let ok = alnum(name.chars().next())
            && alnum(name.chars().last())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !ok {
            errs.push(NAME_FMT.to_string());
        }
    }
    errs
}

/// `validation.IsValidLabelValue`'s error list.
fn label_value_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(String::from("must be no more than 63 characters"));
    }
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let ok = value.is_empty()
        || (alnum(value.chars().next())
            && alnum(value.chars().last())
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')));
    if !ok {
        errs.push(String::from("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
    }
    errs
}

/// Parses `key[=value]:Effect[-]` or `key[-]` (`kubectl taint` / `sim node add --taints`), as
/// upstream's `ParseTaints` / `parseTaint` (`k8s.io/kubectl/pkg/cmd/taint/utils.go`).
pub fn parse_taint_arg(s: &str) -> Result<TaintArg, ParseError> {
    let (st, remove) = match s.strip_suffix('-') {
        Some(b) => (b, true),
        None => (s, false),
    };
    let invalid = || ParseError(format!("error: invalid taint spec: {st}"));
    let parts: Vec<&str> = st.split(':').collect();
    let (key, value, effect) = match parts.as_slice() {
        [key] => (*key, "", ""),
        [kv, effect] => {
            if !matches!(*effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                return err(format!(
                    "error: invalid taint effect: {effect}, unsupported taint effect"
                ));
            }
            let kv_parts: Vec<&str> = kv.split('=').collect();
            match kv_parts.as_slice() {
                [key] => (*key, "", *effect),
                [key, value] => {
                    let errs = label_value_errors(value);
                    if !errs.is_empty() {
                        return err(format!(
                            "error: invalid taint spec: {st}, {}",
                            errs.join("; ")
                        ));
                    }
                    (*key, *value, *effect)
                }
                _ => return Err(invalid()),
            }
        }
        _ => return Err(invalid()),
    };
    let errs = qualified_name_errors(key);
    if !errs.is_empty() {
        return err(format!(
            "error: invalid taint spec: {st}, {}",
            errs.join("; ")
        ));
    }
    if !remove && effect.is_empty() {
        // Adding a taint needs an effect; the spec is reported as typed.
        return err(format!("error: invalid taint spec: {s}"));
    }
    Ok(TaintArg {
        key: key.to_string(),
        value: value.to_string(),
        effect: effect.to_string(),
        remove,
    })
}

fn parse_taint(p: Parsed) -> Result<Command, ParseError> {
    // Resources first, then taint changes (`o.Complete` in taint.go).
    let mut res_words: Vec<&String> = Vec::new();
    let mut taint_words: Vec<&String> = Vec::new();
    for a in &p.args {
        let is_taint = a.contains('=') || a.contains(':') || a.ends_with('-');
        if is_taint {
            taint_words.push(a);
        } else if !taint_words.is_empty() {
            return err(format!(
                "error: all resources must be specified before taint changes: {a}"
            ));
        } else {
            res_words.push(a);
        }
    }
    let usage = |e: ParseError| {
        ParseError(format!(
            "{}\nSee 'kubectl taint -h' for help and examples",
            e.0
        ))
    };
    let taints = taint_words
        .into_iter()
        .map(|a| parse_taint_arg(a).map_err(usage))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(kind_word) = res_words.first() else {
        return err("error: one or more resources must be specified as <resource> <name>");
    };
    if taints.is_empty() {
        return err("error: at least one taint update is required");
    }
    // taint takes `TYPE NAME...` only: a `node/n1` word is looked up as a resource type, and
    // that error is printed without kubectl's `error: ` prefix.
    if kind_word.contains('/') {
        return err(format!(
            "the server doesn't have a resource type \"{kind_word}\""
        ));
    }
    if resolve_kind(kind_word)? != Kind::Node {
        return err(format!(
            "error: invalid resource type {kind_word}, only node types are supported"
        ));
    }
    let nodes: Vec<String> = res_words.iter().skip(1).map(|w| w.to_string()).collect();
    if nodes.is_empty() {
        return err("error: resource(s) were provided, but no name was specified");
    }
    Ok(Command::Taint(TaintCmd {
        nodes,
        taints,
        overwrite: p.bool(Flag::Overwrite)?,
    }))
}

fn parse_drain(p: Parsed) -> Result<Command, ParseError> {
    if p.args.is_empty() {
        return err(
            "error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples",
        );
    }
    let grace = match p.last(Flag::GracePeriod) {
        Some(v) => Some(parse_int::<i64>(v, Flag::GracePeriod)?).filter(|g| *g >= 0),
        None => None,
    };
    Ok(Command::Drain(DrainCmd {
        nodes: p.args.clone(),
        ignore_daemonsets: p.bool(Flag::IgnoreDaemonsets)?,
        force: p.bool(Flag::Force)?,
        delete_emptydir_data: p.bool(Flag::DeleteEmptydirData)?,
        grace_period: grace,
    }))
}

fn single_named(args: &[String], verb: &str) -> Result<(Kind, String), ParseError> {
    let res = resource_args(args)?;
    match res.as_slice() {
        [ResourceArg::Named(k, n)] => Ok((*k, n.clone())),
        [] => Err(no_resources()),
        [ResourceArg::Kind(_)] => err("error: resource(s) were provided, but no name was specified"),
        _ => err(format!(
            "error: only one resource may be specified\nSee 'kubectl {verb} -h' for help and examples"
        )),
    }
}

fn parse_patch(p: Parsed) -> Result<Command, ParseError> {
    let Some(patch) = p.last(Flag::PatchFlag) else {
        return err(
            "error: must specify --patch or --patch-file containing the contents of the patch",
        );
    };
    let patch_type = match p.last(Flag::TypeFlag).unwrap_or("strategic") {
        "strategic" => PatchType::Strategic,
        "merge" => PatchType::Merge,
        "json" => PatchType::Json,
        other => {
            return err(format!(
                "error: --type must be one of [json merge strategic], not \"{other}\""
            ))
        }
    };
    let target = single_named(&p.args, "patch")?;
    Ok(Command::Patch(PatchCmd {
        target,
        patch_type,
        patch: patch.to_string(),
        namespace: p.namespace(),
    }))
}

fn log_opts(p: &Parsed) -> Result<LogOpts, ParseError> {
    let int = |f: Flag, default: i64| -> Result<i64, ParseError> {
        match p.last(f) {
            Some(v) => parse_int(v, f),
            None => Ok(default),
        }
    };
    let since_ms = match p.last(Flag::Since) {
        Some(v) if v.starts_with('-') && v != "-0" => {
            return err("error: --since must be greater than 0");
        }
        Some(v) => go_parse_duration(v).map_err(ParseError)?,
        None => 0,
    };
    let limit = int(Flag::LimitBytes, 0)?;
    if limit < 0 {
        return err("error: --limit-bytes must be greater than 0");
    }
    let max = int(Flag::MaxLogRequests, 5)?;
    if max < 1 {
        return err("error: --max-log-requests should be greater than 0");
    }
    if let (true, Some(c)) = (p.bool(Flag::AllContainers)?, p.last(Flag::Container)) {
        return err(format!(
            "error: --all-containers=true should not be specified with container name {c}"
        ));
    }
    Ok(LogOpts {
        prefix: p.bool(Flag::Prefix)?,
        timestamps: p.bool(Flag::Timestamps)?,
        all_containers: p.bool(Flag::AllContainers)?,
        since_ms,
        limit_bytes: u64::try_from(limit).unwrap_or(0),
        max_log_requests: max,
    })
}

fn parse_logs(p: Parsed) -> Result<Command, ParseError> {
    let opts = log_opts(&p)?;
    if let Some(sel) = p.last(Flag::Selector) {
        if !p.args.is_empty() {
            return err("error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples");
        }
        return Ok(Command::Logs(LogsCmd {
            target: ResourceArg::Kind(Kind::Pod),
            selector: Some(sel.to_string()),
            container: p.last(Flag::Container).map(str::to_string),
            previous: p.bool(Flag::Previous)?,
            follow: p.bool(Flag::Follow)?,
            tail: match p.last(Flag::Tail) {
                Some(v) => parse_int(v, Flag::Tail)?,
                // kubectl shows the last 10 lines per pod when selecting by label.
                None => 10,
            },
            namespace: p.namespace(),
            opts,
        }));
    }
    let target = match p.args.as_slice() {
        [] => return err("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples"),
        [one] => match one.split_once('/') {
            Some((t, n)) => ResourceArg::Named(resolve_kind(t)?, n.to_string()),
            None => ResourceArg::Named(Kind::Pod, one.clone()),
        },
        [pod, container] if !pod.contains('/') && p.last(Flag::Container).is_none() => {
            return Ok(Command::Logs(LogsCmd {
                target: ResourceArg::Named(Kind::Pod, pod.clone()),
                selector: None,
                container: Some(container.clone()),
                previous: p.bool(Flag::Previous)?,
                follow: p.bool(Flag::Follow)?,
                tail: tail(&p)?,
                namespace: p.namespace(),
                opts,
            }))
        }
        _ => return err("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples"),
    };
    Ok(Command::Logs(LogsCmd {
        target,
        selector: None,
        container: p.last(Flag::Container).map(str::to_string),
        previous: p.bool(Flag::Previous)?,
        follow: p.bool(Flag::Follow)?,
        tail: tail(&p)?,
        namespace: p.namespace(),
        opts,
    }))
}

fn parse_exec(p: Parsed) -> Result<Command, ParseError> {
    let target = match p.args.as_slice() {
        [] => return err("error: pod, type/name or --filename must be specified"),
        [one] => match one.split_once('/') {
            Some((t, n)) => ResourceArg::Named(resolve_kind(t)?, n.to_string()),
            None => ResourceArg::Named(Kind::Pod, one.clone()),
        },
        _ => return err("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples"),
    };
    if p.after_dash.is_empty() {
        return err("error: you must specify at least one command for the container");
    }
    Ok(Command::Exec(ExecCmd {
        target,
        container: p.last(Flag::Container).map(str::to_string),
        command: p.after_dash.clone(),
        interactive: p.bool(Flag::Stdin)? && p.bool(Flag::Tty)?,
        quiet: p.bool(Flag::Quiet)?,
        namespace: p.namespace(),
    }))
}

fn tail(p: &Parsed) -> Result<i64, ParseError> {
    match p.last(Flag::Tail) {
        Some(v) => parse_int(v, Flag::Tail),
        None => Ok(-1),
    }
}

fn parse_timeout(v: &str) -> Result<Millis, ParseError> {
    go_parse_duration(v).map_err(|why| {
        ParseError(format!(
            "Error: invalid argument \"{v}\" for \"--timeout\" flag: {why}"
        ))
    })
}

/// `kubectl events` (`k8s.io/kubectl/pkg/cmd/events`).
fn parse_events(p: Parsed) -> Result<Command, ParseError> {
    if !p.args.is_empty() {
        return err(format!(
            "error: unexpected arguments: [{}]\nSee 'kubectl events -h' for help and examples",
            p.args.join(" ")
        ));
    }
    let mut types = Vec::new();
    for t in p.all(Flag::Types).iter().flat_map(|t| t.split(',')) {
        let t = t.trim();
        if !t.eq_ignore_ascii_case("Normal") && !t.eq_ignore_ascii_case("Warning") {
            return err("error: valid --types are Normal or Warning");
        }
        types.push(t.to_ascii_lowercase());
    }
    let for_object = match p.last(Flag::For).filter(|f| !f.is_empty()) {
        None => None,
        Some(f) => match f.split_once('/') {
            Some((t, n)) if !t.is_empty() && !n.is_empty() => {
                Some((resolve_kind(t)?, n.to_string()))
            }
            _ => Some((Kind::Pod, f.to_string())),
        },
    };
    let output = match (p.last(Flag::Output), p.last(Flag::Template)) {
        (None | Some(""), None) => OutputFormat::Table,
        _ => parse_print_output(&p)?,
    };
    Ok(Command::Events(EventsCmd {
        for_object,
        types,
        all_namespaces: p.bool(Flag::AllNamespaces)?,
        no_headers: p.bool(Flag::NoHeaders)?,
        output,
        watch: p.bool(Flag::Watch)?,
        namespace: p.namespace(),
    }))
}

fn parse_wait(p: Parsed) -> Result<Command, ParseError> {
    let for_text = p.last(Flag::For).unwrap_or("");
    let for_ = if for_text == "delete" {
        WaitFor::Delete
    } else if let Some(c) = for_text.strip_prefix("condition=") {
        let (name, value) = match c.split_once('=') {
            Some((n, v)) => (n.to_string(), v.to_string()),
            None => (c.to_string(), "True".to_string()),
        };
        if name.is_empty() {
            return err(format!("error: unrecognized condition: \"{for_text}\""));
        }
        WaitFor::Condition { name, value }
    } else if let Some(j) = for_text.strip_prefix("jsonpath=") {
        // `{.status.phase}=Running`: the value follows the closing brace.
        let (path, value) = match j.rfind('}') {
            Some(end) => {
                let (path, rest) = j.split_at(end + 1);
                let value = rest.strip_prefix('=').map(str::to_string);
                (path.to_string(), value)
            }
            None => match j.split_once('=') {
                Some((p, v)) => (p.to_string(), Some(v.to_string())),
                None => (j.to_string(), None),
            },
        };
        if path.is_empty() {
            return err("error: jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'");
        }
        WaitFor::JsonPath { path, value }
    } else {
        return err(format!("error: unrecognized condition: \"{for_text}\""));
    };
    let resources = resource_args(&p.args)?;
    if resources.is_empty() {
        return Err(no_resources());
    }
    let timeout = match p.last(Flag::Timeout) {
        Some(v) => parse_timeout(v)?,
        None => 30_000,
    };
    Ok(Command::Wait(WaitCmd {
        resources,
        for_,
        timeout,
        namespace: p.namespace(),
        selector: p.last(Flag::Selector).map(str::to_string),
        all: p.bool(Flag::All)?,
    }))
}

fn parse_rollout(p: Parsed) -> Result<Command, ParseError> {
    let Some(sub) = p.args.first() else {
        return Ok(Command::SubcommandHelp(Verb::Rollout));
    };
    let action = match sub.as_str() {
        "status" => RolloutAction::Status,
        "history" => RolloutAction::History,
        "undo" => RolloutAction::Undo,
        "restart" => RolloutAction::Restart,
        "pause" => RolloutAction::Pause,
        "resume" => RolloutAction::Resume,
        other => return Err(unknown_subcommand(Verb::Rollout, other)),
    };
    let resources = resource_args(p.args.get(1..).unwrap_or_default())?;
    if resources.is_empty() {
        return err("error: required resource not specified");
    }
    let rev_flag = match action {
        RolloutAction::Undo => p.last(Flag::ToRevision),
        _ => p.last(Flag::Revision),
    };
    let revision = match rev_flag {
        Some(v) => parse_int(v, Flag::Revision)?,
        None => 0,
    };
    let timeout = match p.last(Flag::Timeout) {
        Some(v) => Some(parse_timeout(v)?),
        None => None,
    };
    Ok(Command::Rollout(RolloutCmd {
        action,
        resources,
        revision,
        timeout,
        namespace: p.namespace(),
    }))
}

fn parse_set(p: Parsed) -> Result<Command, ParseError> {
    match p.args.first().map(String::as_str) {
        Some("image") => {}
        Some(other) => return Err(unknown_subcommand(Verb::Set, other)),
        None => return Ok(Command::SubcommandHelp(Verb::Set)),
    }
    let mut res_words = Vec::new();
    let mut images = Vec::new();
    for a in p.args.get(1..).unwrap_or_default() {
        match a.split_once('=') {
            Some((c, i)) => images.push((c.to_string(), i.to_string())),
            None => res_words.push(a.clone()),
        }
    }
    let resources = resource_args(&res_words)?;
    if resources.is_empty() {
        return Err(no_resources());
    }
    Ok(Command::SetImage(SetImageCmd {
        resources,
        images,
        namespace: p.namespace(),
    }))
}

fn sim_usage() -> ParseError {
    ParseError(String::from("error: usage: sim advance DURATION | sim time | sim seed N | sim node add|down|up NAME | sim node condition NAME TYPE=True|False | sim pod fail|succeed NAME|-l SELECTOR | sim image remove|add IMAGE | sim dns NAME | sim curl TARGET[:PORT]"))
}

fn parse_sim(p: Parsed) -> Result<Command, ParseError> {
    let args: Vec<&str> = p.args.iter().map(String::as_str).collect();
    let sim = match args.as_slice() {
        ["advance", d] => {
            SimCmd::Advance(parse_duration(d).map_err(|e| ParseError(format!("error: {e}")))?)
        }
        ["time"] => SimCmd::Time,
        ["seed", n] => SimCmd::Seed(
            n.parse()
                .map_err(|_| ParseError(format!("error: invalid seed \"{n}\"")))?,
        ),
        ["node", "add", name] => {
            let mut labels = Vec::new();
            for kv in p.all(Flag::Labels).iter().flat_map(|l| {
                l.split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            }) {
                let Some((k, v)) = kv.split_once('=') else {
                    return err(format!("error: invalid label spec: {kv}"));
                };
                labels.push((k.to_string(), v.to_string()));
            }
            let mut taints = Vec::new();
            for t in p.all(Flag::Taints).iter().flat_map(|l| {
                l.split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            }) {
                let t = parse_taint_arg(&t)?;
                if t.remove {
                    return err(format!("error: invalid taint spec: {}-", t.key));
                }
                taints.push(t);
            }
            SimCmd::NodeAdd(NodeAdd {
                name: name.to_string(),
                labels,
                taints,
                cpu: p.last(Flag::Cpu).map(str::to_string),
                memory: p.last(Flag::Memory).map(str::to_string),
                pods: p.last(Flag::Pods).map(str::to_string),
            })
        }
        ["node", "condition", name, rest @ ..] if !rest.is_empty() => {
            let mut conditions = Vec::new();
            for arg in rest {
                let Some((ty, status)) = arg.split_once('=') else {
                    return err(format!(
                        "error: invalid condition spec: {arg} (want TYPE=True|False)"
                    ));
                };
                let Some(ty) = NodeConditionType::parse(ty) else {
                    let types: Vec<&str> =
                        NodeConditionType::ALL.iter().map(|t| t.as_str()).collect();
                    return err(format!(
                        "error: unknown node condition \"{ty}\": supported types: {}",
                        types.join(", ")
                    ));
                };
                if !matches!(status, "True" | "False") {
                    return err(format!(
                        "error: invalid status \"{status}\" for {}: supported values: True, False",
                        ty.as_str()
                    ));
                }
                conditions.push((ty, status.to_string()));
            }
            SimCmd::NodeCondition {
                name: name.to_string(),
                conditions,
            }
        }
        ["node", updown @ ("up" | "down"), name] => SimCmd::NodeUp {
            name: name.to_string(),
            up: *updown == "up",
        },
        ["pod", "fail", rest @ ..] => SimCmd::PodFail {
            name: pod_target(&p, rest, "fail")?,
            exit_code: match p.last(Flag::ExitCode) {
                Some(v) => parse_int(v, Flag::ExitCode)?,
                None => 1,
            },
            reason: p.last(Flag::Reason).map(str::to_string),
            namespace: p.namespace(),
        },
        ["pod", "succeed", rest @ ..] => SimCmd::PodSucceed {
            name: pod_target(&p, rest, "succeed")?,
            namespace: p.namespace(),
        },
        ["image", ar @ ("add" | "remove"), image] => SimCmd::Image {
            image: image.to_string(),
            available: *ar == "add",
        },
        ["dns", name] => SimCmd::Dns {
            name: name.to_string(),
            namespace: p.namespace(),
        },
        ["curl", target] => SimCmd::Curl {
            target: target.to_string(),
            namespace: p.namespace(),
        },
        _ => return Err(sim_usage()),
    };
    Ok(Command::Sim(sim))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        line: &'static str,
        want: Result<Command, &'static str>,
    }

    fn get(resources: Vec<ResourceArg>) -> GetCmd {
        GetCmd {
            resources,
            namespace: None,
            all_namespaces: false,
            selector: None,
            field_selector: None,
            output: OutputFormat::Table,
            show_labels: false,
            label_columns: Vec::new(),
            watch: false,
            watch_only: false,
            output_watch_events: false,
            no_headers: false,
            sort_by: None,
            files: Vec::new(),
        }
    }

    fn check(case: &Case) {
        let got = parse(case.line).map_err(|e| e.0);
        let want = case.want.clone().map_err(str::to_string);
        assert_eq!(got, want, "case {} ({})", case.name, case.line);
    }

    #[test]
    fn parse_table() {
        use ResourceArg::*;
        let cases = vec![
            Case {
                name: "get_pods",
                line: "kubectl get pods",
                want: Ok(Command::Get(get(vec![Kind(crate::engine::api::Kind::Pod)]))),
            },
            Case {
                name: "get_short_name_and_output_attached",
                line: "get po web -oyaml",
                want: Ok(Command::Get(GetCmd {
                    output: OutputFormat::Yaml,
                    ..get(vec![Named(crate::engine::api::Kind::Pod, "web".into())])
                })),
            },
            Case {
                name: "get_flag_equals_and_separate",
                line: "get ds --namespace=kube-system -l app=x -o wide",
                want: Ok(Command::Get(GetCmd {
                    namespace: Some("kube-system".into()),
                    selector: Some("app=x".into()),
                    output: OutputFormat::Wide,
                    ..get(vec![Kind(crate::engine::api::Kind::DaemonSet)])
                })),
            },
            Case {
                name: "get_multiple_kinds",
                line: "get pods,ds -A",
                want: Ok(Command::Get(GetCmd {
                    all_namespaces: true,
                    ..get(vec![
                        Kind(crate::engine::api::Kind::Pod),
                        Kind(crate::engine::api::Kind::DaemonSet),
                    ])
                })),
            },
            Case {
                name: "get_type_slash_name",
                line: "get ds/x pod/y -n=a",
                want: Ok(Command::Get(GetCmd {
                    namespace: Some("a".into()),
                    ..get(vec![
                        Named(crate::engine::api::Kind::DaemonSet, "x".into()),
                        Named(crate::engine::api::Kind::Pod, "y".into()),
                    ])
                })),
            },
            Case {
                name: "get_jsonpath_quoted",
                line: "get pods -o jsonpath='{.items[*].metadata.name}'",
                want: Ok(Command::Get(GetCmd {
                    output: OutputFormat::JsonPath("{.items[*].metadata.name}".into()),
                    ..get(vec![Kind(crate::engine::api::Kind::Pod)])
                })),
            },
            Case {
                name: "unknown_command_suggests",
                line: "kubectl gett pods",
                want: Err("Error: unknown command \"gett\" for \"kubectl\"\n\nDid you mean this?\n\tset\n\tget\n"),
            },
            Case {
                name: "unknown_flag",
                line: "get pods --foo",
                want: Err("Error: unknown flag: --foo\nSee 'kubectl get --help' for usage."),
            },
            Case {
                name: "unknown_shorthand",
                line: "get pods -z",
                want: Err("Error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage."),
            },
            Case {
                name: "unknown_resource_type",
                line: "get foos",
                want: Err("error: the server doesn't have a resource type \"foos\""),
            },
            Case {
                name: "flag_needs_argument",
                line: "get pods -n",
                want: Err("Error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage."),
            },
            Case {
                name: "bad_cascade",
                line: "delete pod x --cascade=foo",
                want: Err("error: invalid cascade value (foo). Must be \"background\", \"foreground\", or \"orphan\""),
            },
            Case {
                name: "delete_without_args",
                line: "delete",
                want: Err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"),
            },
            Case {
                name: "label_needs_update",
                line: "label pods",
                want: Err("error: at least one label update is required"),
            },
            Case {
                name: "create_job_with_command",
                line: "create job pi --image=perl:5.34 -- perl -e 'print 1'",
                want: Ok(Command::CreateJob(CreateJobCmd {
                    name: "pi".into(),
                    image: "perl:5.34".into(),
                    command: vec!["perl".into(), "-e".into(), "print 1".into()],
                    namespace: None,
                    dry_run: DryRun::None,
                    output: OutputFormat::Table,
                })),
            },
            Case {
                name: "taint_add_and_remove",
                line: "taint nodes n1 dedicated=gpu:NoSchedule gone-",
                want: Ok(Command::Taint(TaintCmd {
                    nodes: vec!["n1".into()],
                    taints: vec![
                        TaintArg {
                            key: "dedicated".into(),
                            value: "gpu".into(),
                            effect: "NoSchedule".into(),
                            remove: false,
                        },
                        TaintArg {
                            key: "gone".into(),
                            value: String::new(),
                            effect: String::new(),
                            remove: true,
                        },
                    ],
                    overwrite: false,
                })),
            },
            Case {
                name: "sim_advance",
                line: "sim advance 1m30s",
                want: Ok(Command::Sim(SimCmd::Advance(90_000))),
            },
            Case {
                name: "sim_node_condition",
                line: "sim node condition n1 MemoryPressure=True Ready=False",
                want: Ok(Command::Sim(SimCmd::NodeCondition {
                    name: "n1".into(),
                    conditions: vec![
                        (NodeConditionType::MemoryPressure, "True".into()),
                        (NodeConditionType::Ready, "False".into()),
                    ],
                })),
            },
            Case {
                name: "sim_node_condition_unknown_type",
                line: "sim node condition n1 OutOfDisk=True",
                want: Err("error: unknown node condition \"OutOfDisk\": supported types: NetworkUnavailable, MemoryPressure, DiskPressure, PIDPressure, Ready"),
            },
            Case {
                name: "sim_node_condition_bad_status",
                line: "sim node condition n1 Ready=Unknown",
                want: Err("error: invalid status \"Unknown\" for Ready: supported values: True, False"),
            },
            Case {
                name: "sim_node_condition_no_spec",
                line: "sim node condition n1 Ready",
                want: Err("error: invalid condition spec: Ready (want TYPE=True|False)"),
            },
            Case {
                name: "wait_condition",
                line: "wait --for=condition=complete job/pi --timeout=60s",
                want: Ok(Command::Wait(WaitCmd {
                    resources: vec![Named(crate::engine::api::Kind::Job, "pi".into())],
                    for_: WaitFor::Condition {
                        name: "complete".into(),
                        value: "True".into(),
                    },
                    timeout: 60_000,
                    namespace: None,
                    selector: None,
                    all: false,
                })),
            },
            Case {
                name: "get_label_columns_repeated_and_comma_separated",
                line: "get nodes -L disktype -L=a,kubernetes.io/hostname",
                want: Ok(Command::Get(GetCmd {
                    label_columns: vec![
                        "disktype".into(),
                        "a".into(),
                        "kubernetes.io/hostname".into(),
                    ],
                    ..get(vec![Kind(crate::engine::api::Kind::Node)])
                })),
            },
            Case {
                name: "delete_field_selector_needs_no_name",
                line: "delete pods --field-selector=status.phase=Failed",
                want: Ok(Command::Delete(DeleteCmd {
                    resources: vec![Kind(crate::engine::api::Kind::Pod)],
                    files: Vec::new(),
                    namespace: None,
                    all_namespaces: false,
                    selector: None,
                    field_selector: Some("status.phase=Failed".into()),
                    all: false,
                    cascade: Propagation::Background,
                    grace_period: None,
                    force: false,
                    wait: true,
                })),
            },
            Case {
                name: "get_watch_shorthand",
                line: "get pods -w",
                want: Ok(Command::Get(GetCmd {
                    watch: true,
                    ..get(vec![Kind(crate::engine::api::Kind::Pod)])
                })),
            },
            Case {
                name: "get_watch_only_with_events",
                line: "get pods --watch-only --output-watch-events",
                want: Ok(Command::Get(GetCmd {
                    watch_only: true,
                    output_watch_events: true,
                    ..get(vec![Kind(crate::engine::api::Kind::Pod)])
                })),
            },
            Case {
                // `GetOptions.Validate`.
                name: "get_output_watch_events_without_watch",
                line: "get pods --output-watch-events",
                want: Err("error: --output-watch-events option can only be used with --watch or --watch-only\nSee 'kubectl get -h' for help and examples"),
            },
            Case {
                name: "logs_selector",
                line: "logs -l app=x --tail=2",
                want: Ok(Command::Logs(LogsCmd {
                    target: Kind(crate::engine::api::Kind::Pod),
                    selector: Some("app=x".into()),
                    container: None,
                    previous: false,
                    tail: 2,
                    follow: false,
                    namespace: None,
                    opts: LogOpts::default(),
                })),
            },
            Case {
                name: "top_nodes",
                line: "kubectl top nodes",
                want: Ok(Command::Top),
            },
            Case {
                name: "top_unknown_subcommand",
                line: "kubectl top deployments",
                want: Err("error: unknown command \"deployments\"\nSee 'kubectl top -h' for help and examples"),
            },
            Case {
                name: "unterminated_quote",
                line: "get pods -l 'app=x",
                want: Err("error: unterminated quoted string"),
            },
            Case {
                name: "comment",
                line: "# nothing",
                want: Ok(Command::Nothing),
            },
        ];
        for c in &cases {
            check(c);
        }
    }

    #[test]
    fn tokenizer_handles_quotes_and_escapes() {
        assert_eq!(
            tokenize(r#"a "b c" 'd "e"' f\ g "h\"i""#).ok(),
            Some(vec![
                "a".to_string(),
                "b c".into(),
                "d \"e\"".into(),
                "f g".into(),
                "h\"i".into()
            ])
        );
    }

    /// `distribution/reference`'s grammar, checked against what real kubectl 1.32 accepts.
    #[test]
    fn image_references() {
        let cases = [
            ("nginx", true),
            ("nginx:1.27", true),
            ("registry.k8s.io/pause:3.9", true),
            ("localhost:5000/a/b", true),
            ("UPPER/x:1", true),
            ("a__b.c-d---e", true),
            ("busybox@sha256:0123456789abcdef0123456789abcdef", true),
            ("busy:box::", false),
            ("x:", false),
            ("a b", false),
            ("Nginx", false),
            ("a@sha256:abc", false),
            ("a/-b", false),
            ("", false),
        ];
        for (r, want) in cases {
            assert_eq!(valid_image_reference(r), want, "{r:?}");
        }
    }
}
