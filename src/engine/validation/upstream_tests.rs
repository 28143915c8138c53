//! Case tables mirroring upstream `pkg/apis/core/validation/validation_test.go`
//! (`TestValidatePodSpec`, `TestValidateContainers`, `TestValidateInitContainers`,
//! `TestValidateEnv`, `TestValidateEnvFrom`, `TestValidatePorts`, `TestValidateProbe`,
//! `TestValidateTolerations`, `TestValidateVolumes`, `TestValidateNode`,
//! `TestValidateServiceName`…). Case names are
//! upstream's; each error case asserts the whole rendered error (field path, type, value and
//! detail), in upstream's order.
//!
//! Pod specs go through `default_pod_spec` first, as the API server defaults before it
//! validates; that is why upstream cases about unset defaulted fields (`restartPolicy: ""`,
//! `dnsPolicy: ""`, port `protocol: ""`, `imagePullPolicy: ""`) have no counterpart here.

use super::*;
use crate::engine::api::defaults::default_pod_spec;
use k8s_openapi::api::core::v1::Node;

/// One named case: YAML input, expected rendered errors (empty for a success case).
struct Case {
    name: &'static str,
    input: &'static str,
    want: &'static [&'static str],
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn leak_list(items: &[String]) -> &'static [&'static str] {
    Box::leak(
        items
            .iter()
            .map(|s| leak(s.clone()))
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    )
}

fn render(errs: &[FieldError]) -> Vec<String> {
    errs.iter().map(ToString::to_string).collect()
}

fn parse<T: serde::de::DeserializeOwned>(case: &Case) -> T {
    match serde_yaml::from_str(case.input) {
        Ok(v) => v,
        Err(e) => panic!("case {:?}: bad fixture: {e}", case.name),
    }
}

/// Runs every case through `f` and reports all mismatches at once.
fn run<T: serde::de::DeserializeOwned>(cases: &[Case], f: impl Fn(&T) -> Vec<FieldError>) {
    let mut failures = Vec::new();
    for case in cases {
        let got = render(&f(&parse::<T>(case)));
        if got != case.want {
            failures.push(format!(
                "case {:?}\n  want: {:#?}\n  got:  {got:#?}",
                case.name, case.want
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A pod spec as the API server validates it: defaulted, at path `spec`.
fn pod_spec(spec: &PodSpec) -> Vec<FieldError> {
    let mut spec = spec.clone();
    default_pod_spec(&mut spec);
    validate_pod_spec(&spec, "spec")
}

const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_PART_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

mod test_validate_containers {
    use super::*;

    #[test]
    fn success_cases() {
        let cases = [
            Case { name: "abc", input: "containers: [{name: abc, image: image, imagePullPolicy: IfNotPresent, terminationMessagePolicy: File}]\n", want: &[] },
            Case { name: "123", input: "containers: [{name: '123', image: image}]\n", want: &[] },
            Case { name: "abc-123", input: "containers: [{name: abc-123, image: image}]\n", want: &[] },
            Case {
                name: "life-123 (lifecycle hooks)",
                input: "containers:\n- name: life-123\n  image: image\n  lifecycle:\n    preStop: {exec: {command: [ls, -l]}}\n    postStart: {httpGet: {path: /, port: 80}}\n",
                want: &[],
            },
            Case {
                name: "resources-test",
                input: "containers:\n- name: resources-test\n  image: image\n  resources:\n    limits: {cpu: '10', memory: 10G, my.org/resource: '10'}\n",
                want: &[],
            },
            Case {
                name: "resources-request-limit-edge",
                input: "containers:\n- name: resources-request-limit-edge\n  image: image\n  resources:\n    limits: {cpu: '10', memory: 10G, my.org/resource: '10'}\n    requests: {cpu: '10', memory: 10G, my.org/resource: '10'}\n",
                want: &[],
            },
            Case {
                name: "resources-request-limit-partials",
                input: "containers:\n- name: resources-request-limit-partials\n  image: image\n  resources:\n    limits: {cpu: '10'}\n    requests: {cpu: 9.5, memory: 10G}\n",
                want: &[],
            },
            Case {
                name: "resources-request",
                input: "containers:\n- name: resources-request\n  image: image\n  resources:\n    requests: {cpu: 9.5, memory: 10G}\n",
                want: &[],
            },
            Case {
                name: "same-host-port-different-protocol",
                input: "containers:\n- name: same-host-port-different-protocol\n  image: image\n  ports:\n  - {containerPort: 80, hostPort: 80, protocol: TCP}\n  - {containerPort: 80, hostPort: 80, protocol: UDP}\n",
                want: &[],
            },
            Case {
                name: "fallback-to-logs-termination-message",
                input: "containers: [{name: fallback-to-logs-termination-message, image: image, terminationMessagePolicy: FallbackToLogsOnError}]\n",
                want: &[],
            },
            Case {
                name: "file-termination-message",
                input: "containers: [{name: file-termination-message, image: image, terminationMessagePolicy: File}]\n",
                want: &[],
            },
            Case {
                name: "env-from-source",
                input: "containers:\n- name: env-from-source\n  image: image\n  envFrom: [{configMapRef: {name: test}}]\n",
                want: &[],
            },
            Case {
                name: "liveness-probe-with-successThreshold-1 (and every handler kind)",
                input: "containers:\n- name: a\n  image: image\n  livenessProbe: {successThreshold: 1, tcpSocket: {port: 80}}\n  readinessProbe: {httpGet: {port: http, path: /healthz, httpHeaders: [{name: X-Probe, value: '1'}]}}\n  startupProbe: {grpc: {port: 9090}, failureThreshold: 30}\n  ports: [{name: http, containerPort: 8080}]\n",
                want: &[],
            },
            Case {
                name: "zero thresholds are defaulted",
                input: "containers:\n- name: a\n  image: image\n  livenessProbe: {exec: {command: ['true']}, successThreshold: 0, timeoutSeconds: 0, periodSeconds: 0, failureThreshold: 0}\n",
                want: &[],
            },
        ];
        run(&cases, pod_spec);
    }

    #[test]
    fn error_cases() {
        let cases = [
            Case { name: "zero-length name", input: "containers: [{name: '', image: image}]\n", want: &["spec.containers[0].name: Required value"] },
            Case {
                name: "zero-length-image",
                input: "containers: [{name: abc, image: ''}]\n",
                want: &["spec.containers[0].image: Required value"],
            },
            Case {
                name: "name > 63 characters",
                input: "containers: [{name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, image: image}]\n",
                want: &["spec.containers[0].name: Invalid value: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\": must be no more than 63 characters"],
            },
            Case {
                name: "name not a DNS label",
                input: "containers: [{name: a.b.c, image: image}]\n",
                want: &["spec.containers[0].name: Invalid value: \"a.b.c\": must not contain dots"],
            },
            Case {
                name: "name not unique",
                input: "containers: [{name: abc, image: image}, {name: abc, image: image}]\n",
                want: &["spec.containers[1].name: Duplicate value: \"abc\""],
            },
            Case {
                name: "host port not unique",
                input: "containers:\n- {name: abc, image: image, ports: [{containerPort: 80, hostPort: 80, protocol: TCP}]}\n- {name: def, image: image, ports: [{containerPort: 81, hostPort: 80, protocol: TCP}]}\n",
                want: &["spec.containers[1].ports[0].hostPort: Duplicate value: \"TCP//80\""],
            },
            Case {
                name: "invalid env var name",
                input: "containers: [{name: abc, image: image, env: [{name: ev!1}]}]\n",
                want: &["spec.containers[0].env[0].name: Invalid value: \"ev!1\": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"],
            },
            Case {
                name: "unknown volume name",
                input: "containers: [{name: abc, image: image, volumeMounts: [{name: anything, mountPath: /foo}]}]\n",
                want: &["spec.containers[0].volumeMounts[0].name: Not found: \"anything\""],
            },
            Case {
                name: "invalid lifecycle, no exec command.",
                input: "containers: [{name: life-123, image: image, lifecycle: {preStop: {exec: {}}}}]\n",
                want: &["spec.containers[0].lifecycle.preStop.exec.command: Required value"],
            },
            Case {
                name: "invalid lifecycle, no tcp socket port.",
                input: "containers: [{name: life-123, image: image, lifecycle: {preStop: {tcpSocket: {port: 0}}}}]\n",
                want: &["spec.containers[0].lifecycle.preStop.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive"],
            },
            Case {
                name: "invalid lifecycle, zero tcp socket port.",
                input: "containers: [{name: life-123, image: image, lifecycle: {preStop: {tcpSocket: {port: 0}}}}]\n",
                want: &["spec.containers[0].lifecycle.preStop.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive"],
            },
            Case {
                name: "invalid lifecycle, no action.",
                input: "containers: [{name: life-123, image: image, lifecycle: {preStop: {}}}]\n",
                want: &["spec.containers[0].lifecycle.preStop: Required value: must specify a handler type"],
            },
            Case {
                name: "invalid readiness probe, terminationGracePeriodSeconds set.",
                input: "containers: [{name: life-123, image: image, readinessProbe: {tcpSocket: {port: 80}, terminationGracePeriodSeconds: 10}}]\n",
                want: &["spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes"],
            },
            Case {
                name: "invalid liveness probe, no tcp socket port.",
                input: "containers: [{name: live-123, image: image, livenessProbe: {tcpSocket: {port: 0}, successThreshold: 1}}]\n",
                want: &["spec.containers[0].livenessProbe.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive"],
            },
            Case {
                name: "invalid liveness probe, no handler.",
                input: "containers: [{name: live-123, image: image, livenessProbe: {successThreshold: 1}}]\n",
                want: &["spec.containers[0].livenessProbe: Required value: must specify a handler type"],
            },
            Case {
                name: "invalid liveness probe, more than one handler.",
                input: "containers: [{name: live-123, image: image, livenessProbe: {exec: {command: ['true']}, tcpSocket: {port: 80}}}]\n",
                want: &["spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"],
            },
            Case {
                name: "invalid liveness probe, successThreshold != 1",
                input: "containers: [{name: live-123, image: image, livenessProbe: {tcpSocket: {port: 80}, successThreshold: 2}}]\n",
                want: &["spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"],
            },
            Case {
                name: "invalid startup probe, successThreshold != 1",
                input: "containers: [{name: startup, image: image, startupProbe: {tcpSocket: {port: 80}, successThreshold: 2}}]\n",
                want: &["spec.containers[0].startupProbe.successThreshold: Invalid value: 2: must be 1"],
            },
            Case {
                name: "invalid liveness probe, negative numbers",
                input: "containers: [{name: live-123, image: image, livenessProbe: {tcpSocket: {port: 80}, initialDelaySeconds: -1, timeoutSeconds: -1, periodSeconds: -1, successThreshold: -1, failureThreshold: -1}}]\n",
                want: &[
                    "spec.containers[0].livenessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0",
                    "spec.containers[0].livenessProbe.timeoutSeconds: Invalid value: -1: must be greater than or equal to 0",
                    "spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
                    "spec.containers[0].livenessProbe.successThreshold: Invalid value: -1: must be greater than or equal to 0",
                    "spec.containers[0].livenessProbe.failureThreshold: Invalid value: -1: must be greater than or equal to 0",
                    "spec.containers[0].livenessProbe.successThreshold: Invalid value: -1: must be 1",
                ],
            },
            Case {
                name: "invalid readiness probe, negative numbers",
                input: "containers: [{name: ready-123, image: image, readinessProbe: {tcpSocket: {port: 80}, initialDelaySeconds: -1, timeoutSeconds: -1, periodSeconds: -1, successThreshold: -1, failureThreshold: -1}}]\n",
                want: &[
                    "spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0",
                    "spec.containers[0].readinessProbe.timeoutSeconds: Invalid value: -1: must be greater than or equal to 0",
                    "spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
                    "spec.containers[0].readinessProbe.successThreshold: Invalid value: -1: must be greater than or equal to 0",
                    "spec.containers[0].readinessProbe.failureThreshold: Invalid value: -1: must be greater than or equal to 0",
                ],
            },
            Case {
                name: "invalid liveness probe, terminationGracePeriodSeconds <= 0",
                input: "containers: [{name: live-123, image: image, livenessProbe: {tcpSocket: {port: 80}, terminationGracePeriodSeconds: 0}}]\n",
                want: &["spec.containers[0].livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0"],
            },
            Case {
                name: "invalid httpGet port name and scheme",
                input: "containers: [{name: live-123, image: image, livenessProbe: {httpGet: {port: Bad_Port, scheme: FTP}}}]\n",
                want: &[
                    "spec.containers[0].livenessProbe.httpGet.port: Invalid value: \"Bad_Port\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                    "spec.containers[0].livenessProbe.httpGet.scheme: Unsupported value: \"FTP\": supported values: \"HTTP\", \"HTTPS\"",
                ],
            },
            Case {
                name: "invalid httpGet header name",
                input: "containers: [{name: live-123, image: image, livenessProbe: {httpGet: {port: 80, httpHeaders: [{name: 'X_Header', value: v}]}}}]\n",
                want: &["spec.containers[0].livenessProbe.httpGet.httpHeaders: Invalid value: \"X_Header\": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"],
            },
            Case {
                name: "invalid image pull policy",
                input: "containers: [{name: abc, image: image, imagePullPolicy: push-policy}]\n",
                want: &["spec.containers[0].imagePullPolicy: Unsupported value: \"push-policy\": supported values: \"Always\", \"IfNotPresent\", \"Never\""],
            },
            Case {
                name: "Invalid termination message policy",
                input: "containers: [{name: life-123, image: image, terminationMessagePolicy: Unknown}]\n",
                want: &["spec.containers[0].terminationMessagePolicy: Unsupported value: \"Unknown\": supported values: \"File\", \"FallbackToLogsOnError\""],
            },
            Case {
                name: "Resource CPU invalid",
                input: "containers: [{name: abc-123, image: image, resources: {limits: {cpu: '-10'}}}]\n",
                want: &["spec.containers[0].resources.limits[cpu]: Invalid value: \"-10\": must be greater than or equal to 0"],
            },
            Case {
                name: "Resource Requests CPU invalid",
                input: "containers: [{name: abc-123, image: image, resources: {requests: {cpu: '-10'}}}]\n",
                want: &["spec.containers[0].resources.requests[cpu]: Invalid value: \"-10\": must be greater than or equal to 0"],
            },
            Case {
                name: "Resource Memory invalid",
                input: "containers: [{name: abc-123, image: image, resources: {limits: {memory: '-10'}}}]\n",
                want: &["spec.containers[0].resources.limits[memory]: Invalid value: \"-10\": must be greater than or equal to 0"],
            },
            Case {
                name: "Request limit simple invalid",
                input: "containers: [{name: abc-123, image: image, resources: {limits: {cpu: '5'}, requests: {cpu: '6'}}}]\n",
                want: &["spec.containers[0].resources.requests: Invalid value: \"6\": must be less than or equal to cpu limit of 5"],
            },
            Case {
                name: "Invalid storage limit request",
                input: "containers: [{name: abc-123, image: image, resources: {limits: {attachable-volumes-aws-ebs: '10'}}}]\n",
                want: &["spec.containers[0].resources.limits[attachable-volumes-aws-ebs]: Invalid value: \"attachable-volumes-aws-ebs\": must be a standard resource for containers"],
            },
            Case {
                name: "Request limit multiple invalid",
                input: "containers: [{name: abc-123, image: image, resources: {limits: {cpu: '5', memory: '5'}, requests: {cpu: '6', memory: '6'}}}]\n",
                want: &[
                    "spec.containers[0].resources.requests: Invalid value: \"6\": must be less than or equal to cpu limit of 5",
                    "spec.containers[0].resources.requests: Invalid value: \"6\": must be less than or equal to memory limit of 5",
                ],
            },
            Case {
                name: "Invalid env from",
                input: "containers: [{name: env-from-source, image: image, envFrom: [{configMapRef: {name: '$%^&*#'}}]}]\n",
                want: &["spec.containers[0].envFrom[0].configMapRef.name: Invalid value: \"$%^&*#\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
            },
            Case {
                name: "Unsupported operation restartPolicy on regular containers",
                input: "containers: [{name: foo, image: image, restartPolicy: Always}]\n",
                want: &["spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"],
            },
        ];
        run(&cases, pod_spec);
    }
}

mod test_validate_init_containers {
    use super::*;

    #[test]
    fn success_cases() {
        let cases = [
            Case {
                name: "init container, different name and host port",
                input: "containers: [{name: app, image: image, ports: [{containerPort: 8080, hostPort: 8080}]}]\ninitContainers: [{name: init, image: image, ports: [{containerPort: 8080, hostPort: 8080}]}]\n",
                want: &[],
            },
            Case {
                name: "restartable init container (sidecar) may have probes",
                input: "containers: [{name: app, image: image}]\ninitContainers: [{name: sidecar, image: image, restartPolicy: Always, livenessProbe: {tcpSocket: {port: 80}}}]\n",
                want: &[],
            },
        ];
        run(&cases, pod_spec);
    }

    #[test]
    fn error_cases() {
        let cases = [
            Case {
                name: "name not unique",
                input: "containers: [{name: app, image: image}]\ninitContainers: [{name: init, image: image}, {name: init, image: image}]\n",
                want: &["spec.initContainers[1].name: Duplicate value: \"init\""],
            },
            Case {
                name: "name collides with app container",
                input: "containers: [{name: app, image: image}]\ninitContainers: [{name: app, image: image}]\n",
                want: &["spec.initContainers[0].name: Duplicate value: \"app\""],
            },
            Case {
                name: "init container has lifecycle and probes",
                input: "containers: [{name: app, image: image}]\ninitContainers: [{name: init, image: image, lifecycle: {preStop: {exec: {command: ['true']}}}, livenessProbe: {tcpSocket: {port: 80}}, readinessProbe: {tcpSocket: {port: 80}}, startupProbe: {tcpSocket: {port: 80}}}]\n",
                want: &[
                    "spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always",
                    "spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
                    "spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
                    "spec.initContainers[0].startupProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
                ],
            },
            Case {
                name: "duplicate ports",
                input: "containers: [{name: app, image: image}]\ninitContainers: [{name: init, image: image, ports: [{containerPort: 8080, hostPort: 8080}, {containerPort: 8081, hostPort: 8080}]}]\n",
                want: &["spec.initContainers[0].ports[1].hostPort: Duplicate value: \"TCP//8080\""],
            },
            Case {
                name: "invalid restartPolicy OnFailure",
                input: "containers: [{name: app, image: image}]\ninitContainers: [{name: init, image: image, restartPolicy: OnFailure}]\n",
                want: &["spec.initContainers[0].restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\""],
            },
        ];
        run(&cases, pod_spec);
    }
}

mod test_validate_ports {
    use super::*;

    #[test]
    fn success_cases() {
        let cases = [Case {
            name: "valid ports",
            input: "containers:\n- name: a\n  image: image\n  ports:\n  - {name: easy, containerPort: 82, protocol: TCP}\n  - {name: as, containerPort: 83, protocol: UDP}\n  - {name: do-re-me, containerPort: 84, protocol: SCTP}\n  - {containerPort: 85, protocol: TCP}\n  - {name: re-mi, containerPort: 1}\n",
            want: &[],
        }];
        run(&cases, pod_spec);
    }

    #[test]
    fn error_cases() {
        let cases = [
            Case {
                name: "name > 15 characters",
                input: "containers: [{name: a, image: image, ports: [{name: aaaaaaaaaaaaaaaaa, containerPort: 80}]}]\n",
                want: &["spec.containers[0].ports[0].name: Invalid value: \"aaaaaaaaaaaaaaaaa\": must be no more than 15 characters"],
            },
            Case {
                name: "name contains invalid characters",
                input: "containers: [{name: a, image: image, ports: [{name: a.b.c, containerPort: 80}]}]\n",
                want: &["spec.containers[0].ports[0].name: Invalid value: \"a.b.c\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"],
            },
            Case {
                name: "name is a number",
                input: "containers: [{name: a, image: image, ports: [{name: '80', containerPort: 80}]}]\n",
                want: &["spec.containers[0].ports[0].name: Invalid value: \"80\": must contain at least one letter (a-z)"],
            },
            Case {
                name: "name not unique",
                input: "containers: [{name: a, image: image, ports: [{name: abc, containerPort: 80}, {name: abc, containerPort: 81}]}]\n",
                want: &["spec.containers[0].ports[1].name: Duplicate value: \"abc\""],
            },
            Case {
                name: "zero container port",
                input: "containers: [{name: a, image: image, ports: [{containerPort: 0}]}]\n",
                want: &["spec.containers[0].ports[0].containerPort: Required value"],
            },
            Case {
                name: "invalid container port",
                input: "containers: [{name: a, image: image, ports: [{containerPort: 65536}]}]\n",
                want: &["spec.containers[0].ports[0].containerPort: Invalid value: 65536: must be between 1 and 65535, inclusive"],
            },
            Case {
                name: "invalid host port",
                input: "containers: [{name: a, image: image, ports: [{containerPort: 80, hostPort: 65536}]}]\n",
                want: &["spec.containers[0].ports[0].hostPort: Invalid value: 65536: must be between 1 and 65535, inclusive"],
            },
            Case {
                name: "invalid protocol case",
                input: "containers: [{name: a, image: image, ports: [{containerPort: 80, protocol: tcp}]}]\n",
                want: &["spec.containers[0].ports[0].protocol: Unsupported value: \"tcp\": supported values: \"SCTP\", \"TCP\", \"UDP\""],
            },
            Case {
                name: "invalid protocol",
                input: "containers: [{name: a, image: image, ports: [{containerPort: 80, protocol: ICMP}]}]\n",
                want: &["spec.containers[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\""],
            },
        ];
        run(&cases, pod_spec);
    }
}

mod test_validate_env {
    use super::*;

    fn env(vars: &[EnvVar]) -> Vec<FieldError> {
        validate_env(vars, "field")
    }

    #[test]
    fn success_cases() {
        let cases = [
            Case { name: "plain values", input: "- {name: abc, value: value}\n- {name: ABC, value: value}\n- {name: AbC_123, value: value}\n- {name: abc, value: ''}\n- {name: a.b.c, value: value}\n- {name: a-b-c, value: value}\n", want: &[] },
            Case {
                name: "downward API and key refs",
                input: "- {name: abc, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: \"metadata.annotations['key']\"}}}\n- {name: abc, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: \"metadata.labels['key']\"}}}\n- {name: abc, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: metadata.name}}}\n- {name: abc, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: metadata.namespace}}}\n- {name: abc, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: metadata.uid}}}\n- {name: abc, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: spec.nodeName}}}\n- {name: abc, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: spec.serviceAccountName}}}\n- {name: abc, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: status.hostIP}}}\n- {name: abc, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: status.podIP}}}\n- {name: abc, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: status.podIPs}}}\n- {name: abc, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}\n- {name: abc, valueFrom: {resourceFieldRef: {resource: requests.cpu, divisor: 1m}}}\n- {name: secret_value, valueFrom: {secretKeyRef: {name: some-secret, key: secret-key}}}\n- {name: ENV_VAR_1, valueFrom: {configMapKeyRef: {name: some-config-map, key: some-key}}}\n",
                want: &[],
            },
        ];
        run(&cases, |v: &Vec<EnvVar>| env(v));
    }

    #[test]
    fn error_cases() {
        let cases = [
            Case { name: "zero-length name", input: "- {name: ''}\n", want: &["field[0].name: Required value"] },
            Case { name: "illegal character", input: "- {name: a!b}\n", want: &["field[0].name: Invalid value: \"a!b\": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"] },
            Case { name: "dot only", input: "- {name: .}\n", want: &["field[0].name: Invalid value: \".\": must not be '.'"] },
            Case { name: "double dots only", input: "- {name: ..}\n", want: &["field[0].name: Invalid value: \"..\": must not be '..'"] },
            Case { name: "leading double dots", input: "- {name: ..abc}\n", want: &["field[0].name: Invalid value: \"..abc\": must not start with '..'"] },
            Case {
                name: "value and valueFrom specified",
                input: "- {name: abc, value: foo, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: metadata.name}}}\n",
                want: &["field[0].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty"],
            },
            Case {
                name: "valueFrom without a source",
                input: "- {name: abc, valueFrom: {}}\n",
                want: &["field[0].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"],
            },
            Case {
                name: "valueFrom.fieldRef and valueFrom.secretKeyRef specified",
                input: "- {name: abc, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: metadata.name}, secretKeyRef: {name: a-secret, key: a-key}}}\n",
                want: &["field[0].valueFrom: Invalid value: \"\": may not have more than one field specified at a time"],
            },
            Case {
                name: "valueFrom.secretKeyRef.name invalid",
                input: "- {name: abc, valueFrom: {secretKeyRef: {name: '$%^&*#', key: a-key}}}\n",
                want: &["field[0].valueFrom.secretKeyRef.name: Invalid value: \"$%^&*#\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
            },
            Case {
                name: "valueFrom.configMapKeyRef.name invalid",
                input: "- {name: abc, valueFrom: {configMapKeyRef: {name: '$%^&*#', key: some-key}}}\n",
                want: &["field[0].valueFrom.configMapKeyRef.name: Invalid value: \"$%^&*#\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
            },
            Case {
                name: "missing key in configMapKeyRef",
                input: "- {name: abc, valueFrom: {configMapKeyRef: {name: some-config-map, key: ''}}}\n",
                want: &["field[0].valueFrom.configMapKeyRef.key: Required value"],
            },
            Case {
                name: "missing FieldPath on ObjectFieldSelector",
                input: "- {name: abc, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: ''}}}\n",
                want: &["field[0].valueFrom.fieldRef.fieldPath: Required value"],
            },
            Case {
                name: "missing APIVersion on ObjectFieldSelector",
                input: "- {name: abc, valueFrom: {fieldRef: {fieldPath: metadata.name}}}\n",
                want: &["field[0].valueFrom.fieldRef.apiVersion: Required value"],
            },
            Case {
                name: "invalid fieldPath",
                input: "- {name: abc, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: metadata.whoops}}}\n",
                want: &["field[0].valueFrom.fieldRef.fieldPath: Invalid value: \"metadata.whoops\": error converting fieldPath: field label not supported: metadata.whoops"],
            },
            Case {
                name: "metadata.name with subscript",
                input: "- {name: labels, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: \"metadata.name['key']\"}}}\n",
                want: &["field[0].valueFrom.fieldRef.fieldPath: Invalid value: \"metadata.name['key']\": error converting fieldPath: field label does not support subscript: metadata.name['key']"],
            },
            Case {
                name: "metadata.labels without subscript",
                input: "- {name: labels, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: metadata.labels}}}\n",
                want: &["field[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"metadata.labels\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\""],
            },
            Case {
                name: "metadata.annotations without subscript",
                input: "- {name: abc, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: metadata.annotations}}}\n",
                want: &["field[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"metadata.annotations\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\""],
            },
            Case {
                name: "metadata.annotations with invalid key",
                input: "- {name: abc, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: \"metadata.annotations['invalid~key']\"}}}\n",
                want: &["field[0].valueFrom.fieldRef: Invalid value: \"invalid~key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
            },
            Case {
                name: "metadata.labels with invalid key",
                input: "- {name: abc, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: \"metadata.labels['Www.k8s.io/test']\"}}}\n",
                want: &["field[0].valueFrom.fieldRef: Invalid value: \"Www.k8s.io/test\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
            },
            Case {
                name: "unsupported fieldPath",
                input: "- {name: abc, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: status.phase}}}\n",
                want: &["field[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"status.phase\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\""],
            },
            Case {
                name: "unsupported apiVersion",
                input: "- {name: abc, valueFrom: {fieldRef: {apiVersion: v2, fieldPath: metadata.name}}}\n",
                want: &["field[0].valueFrom.fieldRef.fieldPath: Invalid value: \"metadata.name\": error converting fieldPath: unsupported pod version: v2"],
            },
            Case {
                name: "unsupported resourceFieldRef",
                input: "- {name: abc, valueFrom: {resourceFieldRef: {resource: limits.gpu}}}\n",
                want: &["field[0].valueFrom.resourceFieldRef.resource: Unsupported value: \"limits.gpu\": supported values: \"limits.cpu\", \"limits.ephemeral-storage\", \"limits.memory\", \"requests.cpu\", \"requests.ephemeral-storage\", \"requests.memory\""],
            },
            Case {
                name: "invalid cpu divisor",
                input: "- {name: abc, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 2m}}}\n",
                want: &["field[0].valueFrom.resourceFieldRef.divisor: Invalid value: \"limits.cpu\": only divisor's values 1m and 1 are supported with the cpu resource"],
            },
        ];
        run(&cases, |v: &Vec<EnvVar>| env(v));
    }

    #[test]
    fn test_validate_env_from() {
        let cases = [
            Case { name: "valid", input: "- {configMapRef: {name: abc}}\n- {prefix: pre_, configMapRef: {name: abc}}\n- {secretRef: {name: abc}}\n", want: &[] },
            Case { name: "zero-length name", input: "- {configMapRef: {name: ''}}\n", want: &["field[0].configMapRef.name: Required value"] },
            Case {
                name: "invalid prefix",
                input: "- {prefix: '33', configMapRef: {name: abc}}\n",
                want: &["field[0].prefix: Invalid value: \"33\": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"],
            },
            Case { name: "no refs", input: "- {prefix: pre_}\n", want: &["field: Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`"] },
            Case { name: "multiple refs", input: "- {configMapRef: {name: abc}, secretRef: {name: abc}}\n", want: &["field: Invalid value: \"\": may not have more than one field specified at a time"] },
        ];
        run(&cases, |v: &Vec<EnvFromSource>| {
            validate_env_from(v, "field")
        });
    }
}

mod test_validate_pod_spec {
    use super::*;

    #[test]
    fn success_cases() {
        let cases = [
            Case { name: "populate basic fields, leave defaults for most", input: "containers: [{name: ctr, image: image}]\n", want: &[] },
            Case {
                name: "populate all fields",
                input: "volumes: [{name: vol, emptyDir: {}}]\ncontainers: [{name: ctr, image: image, volumeMounts: [{name: vol, mountPath: /v}]}]\ninitContainers: [{name: ictr, image: image}]\nrestartPolicy: Always\nnodeSelector: {key: value}\nnodeName: foobar\ndnsPolicy: ClusterFirst\nactiveDeadlineSeconds: 30\nserviceAccountName: acct\nhostname: host\nsubdomain: sub\n",
                want: &[],
            },
            Case {
                name: "populate HostNetwork",
                input: "containers: [{name: ctr, image: image, ports: [{containerPort: 8080, hostPort: 8080, protocol: TCP}]}]\nhostNetwork: true\n",
                want: &[],
            },
            Case {
                name: "populate HostNetwork, host port defaulted from container port",
                input: "containers: [{name: ctr, image: image, ports: [{containerPort: 8080}]}]\nhostNetwork: true\n",
                want: &[],
            },
            Case { name: "negative terminationGracePeriodSeconds is accepted (deletion uses 1)", input: "containers: [{name: ctr, image: image}]\nterminationGracePeriodSeconds: -1\n", want: &[] },
            Case { name: "populate RestartPolicy OnFailure", input: "containers: [{name: ctr, image: image}]\nrestartPolicy: OnFailure\n", want: &[] },
            Case { name: "populate DNSPolicy ClusterFirstWithHostNet", input: "containers: [{name: ctr, image: image}]\ndnsPolicy: ClusterFirstWithHostNet\nhostNetwork: true\n", want: &[] },
            Case {
                name: "populate tolerations",
                input: "containers: [{name: ctr, image: image}]\ntolerations:\n- {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}\n- {operator: Exists}\n- {key: foo, value: bar, effect: NoSchedule}\n",
                want: &[],
            },
        ];
        run(&cases, pod_spec);
    }

    #[test]
    fn error_cases() {
        let cases = [
            Case { name: "zero-length containers", input: "containers: []\n", want: &["spec.containers: Required value"] },
            Case {
                name: "bad volume",
                input: "volumes: [{name: Bad_Name, emptyDir: {}}]\ncontainers: [{name: ctr, image: image}]\n",
                want: &[concat!("spec.volumes[0].name: Invalid value: \"Bad_Name\": ", "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")],
            },
            Case {
                name: "bad container",
                input: "containers: [{name: ctr, image: image}, {name: ctr, image: image}]\n",
                want: &["spec.containers[1].name: Duplicate value: \"ctr\""],
            },
            Case {
                name: "bad init container",
                input: "containers: [{name: ctr, image: image}]\ninitContainers: [{name: ctr, image: image}]\n",
                want: &["spec.initContainers[0].name: Duplicate value: \"ctr\""],
            },
            Case {
                name: "bad DNS policy",
                input: "containers: [{name: ctr, image: image}]\ndnsPolicy: invalid\n",
                want: &["spec.dnsPolicy: Unsupported value: \"invalid\": supported values: \"ClusterFirst\", \"ClusterFirstWithHostNet\", \"Default\", \"None\""],
            },
            Case {
                name: "bad service account name",
                input: "containers: [{name: ctr, image: image}]\nserviceAccountName: invalidName\n",
                want: &["spec.serviceAccountName: Invalid value: \"invalidName\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
            },
            Case {
                name: "bad restart policy",
                input: "containers: [{name: ctr, image: image}]\nrestartPolicy: UnknowPolicy\n",
                want: &["spec.restartPolicy: Unsupported value: \"UnknowPolicy\": supported values: \"Always\", \"OnFailure\", \"Never\""],
            },
            Case {
                name: "with hostNetwork hostPort unspecified",
                input: "containers: [{name: ctr, image: image, ports: [{containerPort: 80, hostPort: 8080}]}]\nhostNetwork: true\n",
                want: &["spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true"],
            },
            Case {
                name: "bad nodeName",
                input: "containers: [{name: ctr, image: image}]\nnodeName: node name\n",
                want: &["spec.nodeName: Invalid value: \"node name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
            },
            Case {
                name: "bad activeDeadlineSeconds",
                input: "containers: [{name: ctr, image: image}]\nactiveDeadlineSeconds: 0\n",
                want: &["spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"],
            },
            Case {
                name: "active deadline seconds too large",
                input: "containers: [{name: ctr, image: image}]\nactiveDeadlineSeconds: 2147483648\n",
                want: &["spec.activeDeadlineSeconds: Invalid value: 2147483648: must be between 1 and 2147483647, inclusive"],
            },
            Case {
                name: "bad nodeSelector",
                input: "containers: [{name: ctr, image: image}]\nnodeSelector: {key: 'a b'}\n",
                want: &[concat!("spec.nodeSelector: Invalid value: \"a b\": ", "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")],
            },
            Case {
                name: "bad hostname",
                input: "containers: [{name: ctr, image: image}]\nhostname: Bad.Host\n",
                want: &["spec.hostname: Invalid value: \"Bad.Host\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"],
            },
        ];
        run(&cases, pod_spec);
    }

    #[test]
    fn messages_use_the_shared_constants() {
        // Guards the constants the tables above spell out inline.
        assert_eq!(is_dns1123_label("Bad_Name"), vec![LABEL_MSG.to_string()]);
        assert_eq!(
            is_valid_label_value("a b"),
            vec![LABEL_VALUE_MSG.to_string()]
        );
        assert_eq!(
            is_qualified_name("invalid~key"),
            vec![NAME_PART_MSG.to_string()]
        );
    }
}

mod test_validate_tolerations {
    use super::*;

    fn tolerations(t: &[Toleration]) -> Vec<FieldError> {
        validate_tolerations(t, "field")
    }

    #[test]
    fn success_cases() {
        let cases = [
            Case { name: "populate forgiveness tolerations with exists operator in pod", input: "- {key: foo, operator: Exists, effect: NoExecute, tolerationSeconds: 60}\n", want: &[] },
            Case { name: "populate forgiveness tolerations with equal operator in pod", input: "- {key: foo, operator: Equal, value: bar, effect: NoExecute, tolerationSeconds: 60}\n", want: &[] },
            Case { name: "populate tolerations equal operator in pod", input: "- {key: foo, operator: Equal, value: bar, effect: NoSchedule}\n", want: &[] },
            Case { name: "populate tolerations exists operator in pod", input: "- {key: foo, operator: Exists, effect: NoSchedule}\n", want: &[] },
            Case { name: "empty key with Exists operator is OK for toleration, empty toleration key means match all taint keys", input: "- {operator: Exists, effect: NoSchedule}\n", want: &[] },
            Case { name: "empty operator is OK for toleration, defaults to Equal", input: "- {key: foo, value: bar, effect: NoSchedule}\n", want: &[] },
            Case { name: "empty effect is OK for toleration, empty toleration effect means match all taint effects", input: "- {key: foo, operator: Equal, value: bar}\n", want: &[] },
            Case { name: "negative tolerationSeconds is OK for toleration", input: "- {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: -2}\n", want: &[] },
        ];
        run(&cases, |v: &Vec<Toleration>| tolerations(v));
    }

    #[test]
    fn error_cases() {
        let cases = [
            Case {
                name: "invalid toleration key",
                input: "- {key: nospecialchars^=@, operator: Equal, value: bar, effect: NoSchedule}\n",
                want: &["field[0].key: Invalid value: \"nospecialchars^=@\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
            },
            Case {
                name: "operator must be 'Exists' when `key` is empty",
                input: "- {operator: Equal, value: bar, effect: NoSchedule}\n",
                want: &["field[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\""],
            },
            Case {
                name: "value must be empty when `operator` is 'Exists'",
                input: "- {key: foo, operator: Exists, value: bar, effect: NoSchedule}\n",
                want: &["field[0].operator: Invalid value: \"bar\": value must be empty when `operator` is 'Exists'"],
            },
            Case {
                name: "operator must be 'Equal' or 'Exists'",
                input: "- {key: foo, operator: In, value: bar, effect: NoSchedule}\n",
                want: &["field[0].operator: Unsupported value: \"In\": supported values: \"Equal\", \"Exists\""],
            },
            Case {
                name: "effect must be 'NoExecute' when `TolerationSeconds` is set",
                input: "- {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoSchedule, tolerationSeconds: 20}\n",
                want: &["field[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"],
            },
            Case {
                name: "invalid effect",
                input: "- {key: foo, operator: Exists, effect: NoScheduleNoAdmit}\n",
                want: &["field[0].effect: Unsupported value: \"NoScheduleNoAdmit\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""],
            },
            Case {
                name: "invalid value",
                input: "- {key: foo, operator: Equal, value: 'bad value', effect: NoSchedule}\n",
                want: &[concat!("field[0].operator: Invalid value: \"bad value\": ", "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")],
            },
        ];
        run(&cases, |v: &Vec<Toleration>| tolerations(v));
    }
}

mod test_validate_affinity {
    use super::*;

    #[test]
    fn node_affinity_cases() {
        let cases = [
            Case {
                name: "serialized node affinity requirements",
                input: "containers: [{name: ctr, image: image}]\naffinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n      - matchExpressions: [{key: key2, operator: In, values: [value1, value2]}]\n        matchFields: [{key: metadata.name, operator: NotIn, values: [host1]}]\n    preferredDuringSchedulingIgnoredDuringExecution:\n    - weight: 10\n      preference:\n        matchExpressions: [{key: foo, operator: In, values: [bar]}]\n",
                want: &[],
            },
            Case {
                name: "invalid key in MatchExpression for node affinity",
                input: "containers: [{name: ctr, image: image}]\naffinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n      - matchExpressions: [{key: invalid key ___@#, operator: Exists}]\n",
                want: &["spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key: Invalid value: \"invalid key ___@#\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
            },
            Case {
                name: "invalid MatchFields in affinity",
                input: "containers: [{name: ctr, image: image}]\naffinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n      - matchFields: [{key: metadata.name, operator: NotIn, values: [host1, host2]}]\n",
                want: &["spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values: Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector"],
            },
            Case {
                name: "invalid requiredDuringSchedulingIgnoredDuringExecution node selector, nodeSelectorTerms must have at least one term",
                input: "containers: [{name: ctr, image: image}]\naffinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: []}}}\n",
                want: &["spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term"],
            },
            Case {
                name: "invalid weight in preferredDuringSchedulingIgnoredDuringExecution in node affinity, weight should be in range 1-100",
                input: "containers: [{name: ctr, image: image}]\naffinity:\n  nodeAffinity:\n    preferredDuringSchedulingIgnoredDuringExecution:\n    - weight: 199\n      preference:\n        matchExpressions: [{key: foo, operator: In, values: [bar]}]\n",
                want: &["spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 199: must be in the range 1-100"],
            },
            Case {
                name: "invalid requiredDuringSchedulingIgnoredDuringExecution node selector term, exists operator with values",
                input: "containers: [{name: ctr, image: image}]\naffinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n      - matchExpressions: [{key: key1, operator: Exists, values: [a]}]\n",
                want: &["spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"],
            },
            Case {
                name: "preferred terms accept any label value",
                input: "containers: [{name: ctr, image: image}]\naffinity:\n  nodeAffinity:\n    preferredDuringSchedulingIgnoredDuringExecution:\n    - weight: 1\n      preference:\n        matchExpressions: [{key: foo, operator: In, values: ['not a label value']}]\n",
                want: &[],
            },
        ];
        run(&cases, pod_spec);
    }
}

mod test_validate_node {
    use super::*;
    use crate::engine::api::node::validate;

    #[test]
    fn success_cases() {
        let cases = [
            Case {
                name: "taints with same key but different effects",
                input: "metadata: {name: abc}\nspec:\n  taints:\n  - {key: dedicated, value: special-user-1, effect: NoSchedule}\n  - {key: dedicated, value: special-user-2, effect: NoExecute}\n  - {key: node.kubernetes.io/unschedulable, effect: NoSchedule}\nstatus:\n  capacity: {cpu: '4', memory: 8Gi, pods: '110'}\n",
                want: &[],
            },
        ];
        run(&cases, |n: &Node| validate(n));
    }

    #[test]
    fn error_cases() {
        let cases = [
            Case {
                name: "missing-taint-key",
                input: "metadata: {name: abc}\nspec:\n  taints: [{key: '', value: special-user-1, effect: NoSchedule}]\n",
                want: &["metadata.taints[0].key: Invalid value: \"\": name part must be non-empty", concat!("metadata.taints[0].key: Invalid value: \"\": ", "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")],
            },
            Case {
                name: "bad-taint-key",
                input: "metadata: {name: abc}\nspec:\n  taints: [{key: NoUppercaseOrSpecialCharsLike=Equals, value: special-user-1, effect: NoSchedule}]\n",
                want: &["metadata.taints[0].key: Invalid value: \"NoUppercaseOrSpecialCharsLike=Equals\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
            },
            Case {
                name: "bad-taint-value",
                input: "metadata: {name: abc}\nspec:\n  taints: [{key: dedicated, value: 'some bad value', effect: NoSchedule}]\n",
                want: &[concat!("metadata.taints[0].value: Invalid value: \"some bad value\": ", "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")],
            },
            Case {
                name: "missing-taint-effect",
                input: "metadata: {name: abc}\nspec:\n  taints: [{key: dedicated, value: special-user-3, effect: ''}]\n",
                want: &["metadata.taints[0].effect: Required value"],
            },
            Case {
                name: "unsupported-taint-effect",
                input: "metadata: {name: abc}\nspec:\n  taints: [{key: dedicated, value: special-user-3, effect: NoScheduleNoAdmit}]\n",
                want: &["metadata.taints[0].effect: Unsupported value: \"NoScheduleNoAdmit\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""],
            },
            Case {
                name: "duplicated-taints-with-same-key-effect",
                input: "metadata: {name: abc}\nspec:\n  taints:\n  - {key: dedicated, value: special-user-1, effect: NoSchedule}\n  - {key: dedicated, value: special-user-2, effect: NoSchedule}\n",
                want: &["metadata.taints[1]: Duplicate value: core.Taint{Key:\"dedicated\", Value:\"special-user-2\", Effect:\"NoSchedule\", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair"],
            },
            Case {
                name: "negative-capacity",
                input: "metadata: {name: abc}\nstatus:\n  capacity: {memory: '-1'}\n",
                want: &["status.capacity.memory: Invalid value: \"-1\": must be greater than or equal to 0"],
            },
        ];
        run(&cases, |n: &Node| validate(n));
    }
}

mod test_validate_object_meta {
    use super::*;

    #[test]
    fn test_validate_service_name() {
        // ValidateServiceName is NameIsDNS1035Label: a leading digit is rejected.
        let dns1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
        assert!(NameRule::Dns1035Label.check("my-svc", false).is_empty());
        assert_eq!(
            NameRule::Dns1035Label.check("1-svc", false),
            vec![dns1035.to_string()]
        );
        assert_eq!(
            NameRule::Dns1035Label.check("My-Svc", false),
            vec![dns1035.to_string()]
        );
        assert_eq!(
            NameRule::Dns1035Label.check("a.b", false),
            vec![dns1035.to_string()]
        );
        assert_eq!(
            NameRule::Dns1035Label.check(&"a".repeat(64), false),
            vec![max_len_error(63)]
        );
        // generateName: the trailing dash is masked.
        assert!(NameRule::Dns1035Label.check("svc-", true).is_empty());
    }

    #[test]
    fn test_validate_object_meta_names() {
        let cases = [
            Case { name: "valid", input: "name: a.b-c\n", want: &[] },
            Case { name: "generate name with trailing dash", input: "generateName: web-\n", want: &[] },
            Case {
                name: "name too long",
                input: leak(format!("name: {}\n", "a".repeat(254))),
                want: leak_list(&[format!("metadata.name: Invalid value: \"{}\": must be no more than 253 characters", "a".repeat(254))]),
            },
            Case { name: "uppercase name", input: "name: Foo\n", want: &["metadata.name: Invalid value: \"Foo\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"] },
            Case {
                name: "invalid label key prefix",
                input: "name: a\nlabels: {Example.com/app: x}\n",
                want: &["metadata.labels: Invalid value: \"Example.com/app\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
            },
            Case {
                name: "label value too long",
                input: leak(format!("name: a\nlabels: {{app: {}}}\n", "v".repeat(64))),
                want: leak_list(&[format!("metadata.labels: Invalid value: \"{}\": must be no more than 63 characters", "v".repeat(64))]),
            },
        ];
        run(&cases, |m: &ObjectMeta| {
            validate_object_meta(m, true, NameRule::DnsSubdomain)
        });
    }

    #[test]
    fn test_validate_finalizers() {
        let cases = [
            Case { name: "standard and qualified finalizers", input: "name: a\nfinalizers: [kubernetes, foregroundDeletion, example.com/cleanup]\n", want: &[] },
            Case {
                name: "unqualified finalizer",
                input: "name: a\nfinalizers: [cleanup]\n",
                want: &["metadata.finalizers: Invalid value: \"cleanup\": name is neither a standard finalizer name nor is it fully qualified"],
            },
            Case {
                name: "orphan and foregroundDeletion together",
                input: "name: a\nfinalizers: [orphan, foregroundDeletion]\n",
                want: &["metadata.finalizers: Invalid value: []string{\"orphan\", \"foregroundDeletion\"}: finalizer orphan and foregroundDeletion cannot be both set"],
            },
        ];
        run(&cases, |m: &ObjectMeta| {
            validate_object_meta(m, true, NameRule::DnsSubdomain)
        });
    }
}

mod test_validate_volumes {
    use super::*;

    #[test]
    fn success_cases() {
        let cases = [
            Case { name: "valid HostPath", input: "containers: [{name: c, image: i, volumeMounts: [{name: host-path, mountPath: /h}]}]\nvolumes: [{name: host-path, hostPath: {path: /mnt/path, type: Directory}}]\n", want: &[] },
            Case { name: "valid HostPath without type", input: "containers: [{name: c, image: i}]\nvolumes: [{name: host-path, hostPath: {path: /mnt/path}}]\n", want: &[] },
            Case { name: "valid EmptyDir", input: "containers: [{name: c, image: i}]\nvolumes: [{name: empty, emptyDir: {medium: Memory, sizeLimit: 1Gi}}]\n", want: &[] },
            Case { name: "volume with no source defaults to emptyDir", input: "containers: [{name: c, image: i, volumeMounts: [{name: empty, mountPath: /e}]}]\nvolumes: [{name: empty}]\n", want: &[] },
            Case { name: "valid Secret", input: "containers: [{name: c, image: i}]\nvolumes: [{name: secret, secret: {secretName: my-secret, defaultMode: 420, items: [{key: a, path: a.txt, mode: 256}]}}]\n", want: &[] },
            Case { name: "valid ConfigMap", input: "containers: [{name: c, image: i}]\nvolumes: [{name: cfg, configMap: {name: my-cfg, items: [{key: k, path: sub/file}]}}]\n", want: &[] },
            Case { name: "valid PersistentVolumeClaim", input: "containers: [{name: c, image: i}]\nvolumes: [{name: pvc, persistentVolumeClaim: {claimName: my-claim}}]\n", want: &[] },
        ];
        run(&cases, pod_spec);
    }

    #[test]
    fn error_cases() {
        let cases = [
            Case {
                name: "invalid HostPath backsteps",
                input: "containers: [{name: c, image: i}]\nvolumes: [{name: host-path, hostPath: {path: /mnt/path/.., type: Directory}}]\n",
                want: &["spec.volumes[0].hostPath.path: Invalid value: \"/mnt/path/..\": must not contain '..'"],
            },
            Case {
                name: "invalid HostPath type",
                input: "containers: [{name: c, image: i}]\nvolumes: [{name: host-path, hostPath: {path: /mnt/path, type: invalid}}]\n",
                want: &["spec.volumes[0].hostPath.type: Unsupported value: \"invalid\": supported values: \"\", \"BlockDevice\", \"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", \"FileOrCreate\", \"Socket\""],
            },
            Case {
                name: "empty HostPath path",
                input: "containers: [{name: c, image: i}]\nvolumes: [{name: host-path, hostPath: {path: ''}}]\n",
                want: &["spec.volumes[0].hostPath.path: Required value"],
            },
            Case {
                name: "multiple volume types",
                input: "containers: [{name: c, image: i}]\nvolumes: [{name: two, hostPath: {path: /mnt/path}, emptyDir: {}}]\n",
                want: &["spec.volumes[0].emptyDir: Forbidden: may not specify more than 1 volume type"],
            },
            Case {
                name: "empty secret name",
                input: "containers: [{name: c, image: i}]\nvolumes: [{name: s, secret: {}}]\n",
                want: &["spec.volumes[0].secret.secretName: Required value"],
            },
            Case {
                name: "secret with bad defaultMode and item path",
                input: "containers: [{name: c, image: i}]\nvolumes: [{name: s, secret: {secretName: s, defaultMode: 512, items: [{key: k, path: /abs}, {key: '', path: ..sneaky}]}}]\n",
                want: &[
                    "spec.volumes[0].secret.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive",
                    "spec.volumes[0].secret.items[0].path: Invalid value: \"/abs\": must be a relative path",
                    "spec.volumes[0].secret.items[1].key: Required value",
                    "spec.volumes[0].secret.items[1].path: Invalid value: \"..sneaky\": must not start with '..'",
                ],
            },
            Case {
                name: "empty configMap name",
                input: "containers: [{name: c, image: i}]\nvolumes: [{name: cfg, configMap: {name: ''}}]\n",
                want: &["spec.volumes[0].configMap.name: Required value"],
            },
            Case {
                name: "empty PVC claimName",
                input: "containers: [{name: c, image: i}]\nvolumes: [{name: pvc, persistentVolumeClaim: {claimName: ''}}]\n",
                want: &["spec.volumes[0].persistentVolumeClaim.claimName: Required value"],
            },
            Case {
                name: "name not unique",
                input: "containers: [{name: c, image: i}]\nvolumes: [{name: abc, emptyDir: {}}, {name: abc, emptyDir: {}}]\n",
                want: &["spec.volumes[1].name: Duplicate value: \"abc\""],
            },
            Case {
                name: "an invalid volume cannot be mounted",
                input: "containers: [{name: c, image: i, volumeMounts: [{name: bad, mountPath: /b}]}]\nvolumes: [{name: bad, hostPath: {path: ''}}]\n",
                want: &[
                    "spec.volumes[0].hostPath.path: Required value",
                    "spec.containers[0].volumeMounts[0].name: Not found: \"bad\"",
                ],
            },
        ];
        run(&cases, pod_spec);
    }
}

mod test_validate_pod_affinity {
    use super::*;

    #[test]
    fn cases() {
        let cases = [
            Case {
                name: "serialized pod anti affinity with different Label Operators in affinity requirements in annotations",
                input: "containers: [{name: c, image: i}]\naffinity:\n  podAntiAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n    - labelSelector: {matchExpressions: [{key: key2, operator: Exists}]}\n      topologyKey: zone\n      namespaces: [ns]\n    preferredDuringSchedulingIgnoredDuringExecution:\n    - weight: 10\n      podAffinityTerm:\n        labelSelector: {matchExpressions: [{key: key2, operator: NotIn, values: [value1, value2]}]}\n        topologyKey: region\n",
                want: &[],
            },
            Case {
                name: "invalid labelSelector in preferredDuringSchedulingIgnoredDuringExecution in podaffinity annotations, values should be empty if the operator is Exists",
                input: "containers: [{name: c, image: i}]\naffinity:\n  podAffinity:\n    preferredDuringSchedulingIgnoredDuringExecution:\n    - weight: 10\n      podAffinityTerm:\n        labelSelector: {matchExpressions: [{key: key2, operator: Exists, values: [value1, value2]}]}\n        topologyKey: zone\n",
                want: &["spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"],
            },
            Case {
                name: "invalid name space in preferredDuringSchedulingIgnoredDuringExecution in podaffinity annotations, namespace should be valid",
                input: "containers: [{name: c, image: i}]\naffinity:\n  podAffinity:\n    preferredDuringSchedulingIgnoredDuringExecution:\n    - weight: 10\n      podAffinityTerm:\n        namespaces: ['INVALID_NAMESPACE']\n        topologyKey: zone\n",
                want: &["spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.namespace: Invalid value: \"INVALID_NAMESPACE\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"],
            },
            Case {
                name: "invalid weight in preferredDuringSchedulingIgnoredDuringExecution in pod anti affinity annotations, weight should be in range 1-100",
                input: "containers: [{name: c, image: i}]\naffinity:\n  podAntiAffinity:\n    preferredDuringSchedulingIgnoredDuringExecution:\n    - weight: 109\n      podAffinityTerm: {topologyKey: zone}\n",
                want: &["spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 109: must be in the range 1-100"],
            },
            Case {
                name: "invalid empty topologyKey in requiredDuringSchedulingIgnoredDuringExecution in pod anti affinity",
                input: "containers: [{name: c, image: i}]\naffinity:\n  podAntiAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n    - labelSelector: {matchLabels: {app: web}}\n      topologyKey: ''\n",
                want: &[
                    "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty",
                    "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": name part must be non-empty",
                    concat!("spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": ", "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
                ],
            },
        ];
        run(&cases, pod_spec);
    }

    #[test]
    fn test_validate_pod_create_image_whitespace() {
        // validateContainersOnlyForPod: only Pods, not templates.
        let spec: PodSpec =
            serde_yaml::from_str("containers: [{name: c, image: ' nginx'}]\n").unwrap_or_default();
        assert_eq!(
            render(&validate_pod_only(&spec, "spec")),
            ["spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace"]
        );
        assert!(pod_spec(&spec).is_empty());
    }
}

/// `TestValidateJob` error cases (`pkg/apis/batch/validation/validation_test.go`). Upstream keys
/// each case by `<field>: <fragment>` and checks that the *first* error is on that field and
/// contains the fragment; this does the same. The Job goes through `job::validate`, which
/// generates the selector first as the registry strategy does, so upstream cases that only
/// exist when `ValidateJob` is called on an object the strategy never produced (nil selector,
/// missing uid, missing generated labels) are not reachable and not listed.
mod test_validate_job {
    use super::*;
    use crate::engine::api::job::validate;
    use k8s_openapi::api::batch::v1::Job;

    /// `validJobObjectMeta` + `validPodTemplateSpecForGeneratedRestartPolicyNever`.
    const BASE: &str = "metadata: {name: myjob, namespace: default, uid: 1a2b3c}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: abc, image: image}]\n      initContainers: [{name: def, image: image}]\n";

    fn job(spec_yaml: &str) -> Job {
        let mut j: Job = serde_yaml::from_str(BASE).unwrap_or_default();
        let extra: serde_json::Value = serde_yaml::from_str(spec_yaml).unwrap_or_default();
        let mut v = serde_json::to_value(&j).unwrap_or_default();
        if let (Some(spec), Some(extra)) = (
            v.get_mut("spec").and_then(|s| s.as_object_mut()),
            extra.as_object(),
        ) {
            for (k, val) in extra {
                if k == "template" {
                    // Merge into the template spec (restartPolicy, labels).
                    if let Some(t) = spec.get_mut("template") {
                        json_merge(t, val);
                    }
                } else {
                    spec.insert(k.clone(), val.clone());
                }
            }
        }
        j = serde_json::from_value(v).unwrap_or_default();
        if let Some(ps) = j.spec.as_mut().and_then(|s| s.template.spec.as_mut()) {
            default_pod_spec(ps);
        }
        j
    }

    fn json_merge(dst: &mut serde_json::Value, src: &serde_json::Value) {
        match (dst, src) {
            (serde_json::Value::Object(d), serde_json::Value::Object(s)) => {
                for (k, v) in s {
                    json_merge(d.entry(k.clone()).or_insert(serde_json::Value::Null), v);
                }
            }
            (d, s) => *d = s.clone(),
        }
    }

    fn check(key: &str, j: &Job) -> Option<String> {
        let (field, fragment) = key.split_once(':').unwrap_or((key, ""));
        let errs = validate(j);
        match errs.first() {
            Some(e) if e.field == field && e.to_string().contains(fragment) => None,
            Some(e) => Some(format!(
                "case {key:?}: first error is {e} (all: {:?})",
                render(&errs)
            )),
            None => Some(format!("case {key:?}: no error")),
        }
    }

    #[test]
    fn error_cases() {
        let rules_21: String = (1..=21)
            .map(|i| format!("{{action: FailJob, onExitCodes: {{operator: In, values: [{i}]}}}}"))
            .collect::<Vec<_>>()
            .join(", ");
        let values_256: String = (0..256)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let patterns_21: String = (0..21)
            .map(|i| format!("{{type: CustomType_{i}, status: 'True'}}"))
            .collect::<Vec<_>>()
            .join(", ");
        let cases: Vec<(&str, String)> = vec![
            ("spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required", "podFailurePolicy: {rules: [{action: FailJob}]}".into()),
            ("spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Duplicate value: 11", "podFailurePolicy: {rules: [{action: FailJob, onExitCodes: {operator: In, values: [11, 11]}}]}".into()),
            ("spec.podFailurePolicy.rules[0].onExitCodes.values: Too many: 256: must have at most 255 items", format!("podFailurePolicy: {{rules: [{{action: FailJob, onExitCodes: {{operator: In, values: [{values_256}]}}}}]}}")),
            ("spec.podFailurePolicy.rules: Too many: 21: must have at most 20 items", format!("podFailurePolicy: {{rules: [{rules_21}]}}")),
            ("spec.podFailurePolicy.rules[0].onPodConditions: Too many: 21: must have at most 20 items", format!("podFailurePolicy: {{rules: [{{action: FailJob, onPodConditions: [{patterns_21}]}}]}}")),
            ("spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 13", "podFailurePolicy: {rules: [{action: FailJob, onExitCodes: {operator: In, values: [12, 13, 13, 13]}}]}".into()),
            ("spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{19, 11}: must be ordered", "podFailurePolicy: {rules: [{action: FailJob, onExitCodes: {operator: In, values: [19, 11]}}]}".into()),
            ("spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{}: at least one value is required", "podFailurePolicy: {rules: [{action: FailJob, onExitCodes: {operator: In, values: []}}]}".into()),
            ("spec.podFailurePolicy.rules[0].action: Required value: valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]", "podFailurePolicy: {rules: [{action: '', onExitCodes: {operator: In, values: [1, 2, 3]}}]}".into()),
            ("spec.podFailurePolicy.rules[0].onExitCodes.operator: Required value: valid values: [\"In\" \"NotIn\"]", "podFailurePolicy: {rules: [{action: FailJob, onExitCodes: {operator: '', values: [1, 2, 3]}}]}".into()),
            ("spec.podFailurePolicy.rules[0]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported", "podFailurePolicy: {rules: [{action: FailJob, onExitCodes: {containerName: abc, operator: In, values: [1, 2, 3]}, onPodConditions: [{type: DisruptionTarget, status: 'True'}]}]}".into()),
            ("spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator", "podFailurePolicy: {rules: [{action: Ignore, onExitCodes: {operator: In, values: [1, 0, 2]}}]}".into()),
            ("spec.podFailurePolicy.rules[1].onExitCodes.containerName: Invalid value: \"xyz\": must be one of the container or initContainer names in the pod template", "podFailurePolicy: {rules: [{action: Ignore, onExitCodes: {containerName: abc, operator: In, values: [1, 2, 3]}}, {action: FailJob, onExitCodes: {containerName: xyz, operator: In, values: [5, 6, 7]}}]}".into()),
            ("spec.podFailurePolicy.rules[0].action: Unsupported value: \"UnknownAction\": supported values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"", "podFailurePolicy: {rules: [{action: UnknownAction, onExitCodes: {containerName: abc, operator: In, values: [1, 2, 3]}}]}".into()),
            ("spec.podFailurePolicy.rules[0].onExitCodes.operator: Unsupported value: \"UnknownOperator\": supported values: \"In\", \"NotIn\"", "podFailurePolicy: {rules: [{action: Ignore, onExitCodes: {operator: UnknownOperator, values: [1, 2, 3]}}]}".into()),
            ("spec.podFailurePolicy.rules[0].onPodConditions[0].status: Required value: valid values: [\"False\" \"True\" \"Unknown\"]", "podFailurePolicy: {rules: [{action: Ignore, onPodConditions: [{type: DisruptionTarget, status: ''}]}]}".into()),
            ("spec.podFailurePolicy.rules[0].onPodConditions[0].status: Unsupported value: \"UnknownStatus\": supported values: \"False\", \"True\", \"Unknown\"", "podFailurePolicy: {rules: [{action: Ignore, onPodConditions: [{type: DisruptionTarget, status: UnknownStatus}]}]}".into()),
            ("spec.podFailurePolicy.rules[0].onPodConditions[0].type: Invalid value: \"\": name part must be non-empty", "podFailurePolicy: {rules: [{action: Ignore, onPodConditions: [{type: '', status: 'True'}]}]}".into()),
            ("spec.podFailurePolicy.rules[0].onPodConditions[0].type: Invalid value: \"Invalid Condition Type\": name part must consist of alphanumeric characters", "podFailurePolicy: {rules: [{action: Ignore, onPodConditions: [{type: Invalid Condition Type, status: 'True'}]}]}".into()),
            ("spec.podReplacementPolicy: Unsupported value: \"TerminatingOrFailed\": supported values: \"Failed\"", "podReplacementPolicy: TerminatingOrFailed\npodFailurePolicy: {rules: [{action: Ignore, onPodConditions: [{type: DisruptionTarget, status: 'True'}]}]}".into()),
            ("spec.podReplacementPolicy: Unsupported value: \"\": supported values: \"Failed\", \"TerminatingOrFailed\"", "podReplacementPolicy: ''".into()),
            ("spec.parallelism: Invalid value: 50000: must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index", "completions: 100001\nparallelism: 50000\nbackoffLimitPerIndex: 1\nmaxFailedIndexes: 1\ncompletionMode: Indexed".into()),
            ("spec.maxFailedIndexes: Invalid value: 100001: must be less than or equal to 100000", "completions: 100001\nbackoffLimitPerIndex: 1\nmaxFailedIndexes: 100001\ncompletionMode: Indexed".into()),
            ("spec.maxFailedIndexes: Invalid value: 50000: must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index", "completions: 100001\nbackoffLimitPerIndex: 1\nmaxFailedIndexes: 50000\ncompletionMode: Indexed".into()),
            ("spec.maxFailedIndexes:must be greater than or equal to 0", "backoffLimitPerIndex: 1\nmaxFailedIndexes: -1\ncompletionMode: Indexed".into()),
            ("spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified", "maxFailedIndexes: 1\ncompletionMode: Indexed".into()),
            ("spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified", "template: {spec: {restartPolicy: OnFailure}}\npodFailurePolicy: {rules: []}".into()),
            ("spec.parallelism:must be greater than or equal to 0", "parallelism: -1".into()),
            ("spec.backoffLimit:must be greater than or equal to 0", "backoffLimit: -1".into()),
            ("spec.backoffLimitPerIndex:must be greater than or equal to 0", "backoffLimitPerIndex: -1\ncompletionMode: Indexed".into()),
            ("spec.maxFailedIndexes: Invalid value: 11: must be less than or equal to completions", "completions: 10\nmaxFailedIndexes: 11\nbackoffLimitPerIndex: 1\ncompletionMode: Indexed".into()),
            ("spec.maxFailedIndexes: Required value: must be specified when completions is above 100000", "completions: 100001\nbackoffLimitPerIndex: 1\ncompletionMode: Indexed".into()),
            ("spec.completions:must be greater than or equal to 0", "completions: -1".into()),
            ("spec.activeDeadlineSeconds:must be greater than or equal to 0", "activeDeadlineSeconds: -1".into()),
            ("spec.template.metadata.labels: Invalid value: map[string]string{\"y\":\"z\"}: `selector` does not match template `labels`", "manualSelector: true\nselector: {matchLabels: {a: b}}\ntemplate: {metadata: {labels: {y: z}}, spec: {restartPolicy: OnFailure}}".into()),
            ("spec.template.metadata.labels: Invalid value: map[string]string{\"controller-uid\":\"4d5e6f\"}: `selector` does not match template `labels`", "manualSelector: true\nselector: {matchLabels: {a: b}}\ntemplate: {metadata: {labels: {controller-uid: 4d5e6f}}, spec: {restartPolicy: OnFailure}}".into()),
            ("spec.template.spec.restartPolicy: Required value", "manualSelector: true\nselector: {matchLabels: {a: b}}\ntemplate: {metadata: {labels: {a: b}}, spec: {restartPolicy: Always}}".into()),
            ("spec.template.spec.restartPolicy: Unsupported value", "manualSelector: true\nselector: {matchLabels: {a: b}}\ntemplate: {metadata: {labels: {a: b}}, spec: {restartPolicy: Invalid}}".into()),
            ("spec.ttlSecondsAfterFinished: must be greater than or equal to 0", "ttlSecondsAfterFinished: -1".into()),
            ("spec.completions: Required value: when completion mode is Indexed", "completionMode: Indexed".into()),
            ("spec.parallelism: must be less than or equal to 100000 when completion mode is Indexed", "completionMode: Indexed\ncompletions: 2\nparallelism: 100001".into()),
            ("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"a\":\"b\", \"batch.kubernetes.io/controller-uid\":\"1a2b3c\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` not auto-generated", "selector: {matchLabels: {a: b}}".into()),
            ("spec.template.metadata.labels[batch.kubernetes.io/controller-uid]: Invalid value: map[string]string{\"batch.kubernetes.io/controller-uid\":\"4d5e6f\", \"batch.kubernetes.io/job-name\":\"myjob\", \"controller-uid\":\"1a2b3c\", \"job-name\":\"myjob\"}: must be '1a2b3c'", "template: {metadata: {labels: {batch.kubernetes.io/controller-uid: 4d5e6f}}}".into()),
            ("spec.successPolicy: Invalid value: batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{batch.SuccessPolicyRule{SucceededIndexes:(*string)(nil), SucceededCount:(*int32)(…)}}}: requires indexed completion mode", "successPolicy: {rules: [{succeededCount: 1}]}".into()),
            ("spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode", "backoffLimitPerIndex: 1".into()),
            ("spec.successPolicy: Invalid value: batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{}}: requires indexed completion mode", "successPolicy: {rules: []}".into()),
            ("spec.successPolicy.rules[0].succeededIndexes: Too long: may not be more than 65536 bytes", format!("completionMode: Indexed\ncompletions: 5\nsuccessPolicy: {{rules: [{{succeededIndexes: '{}'}}]}}", "1".repeat(65537))),
            ("spec.managedBy: Too long: may not be more than 63 bytes", format!("managedBy: example.com/{}", "x".repeat(60))),
            ("spec.managedBy: Invalid value: \"invalid custom controller name\": must be a domain-prefixed path (such as \"acme.io/foo\")", "managedBy: invalid custom controller name".into()),
            ("spec.completionMode: Unsupported value: \"Sequential\": supported values: \"NonIndexed\", \"Indexed\"", "completionMode: Sequential".into()),
        ];
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|(key, spec)| check(key, &job(spec)))
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn success_cases() {
        let cases = [
            ("valid pod failure policy", "podFailurePolicy: {rules: [{action: FailJob, onExitCodes: {containerName: abc, operator: In, values: [1, 2, 3]}}, {action: Ignore, onExitCodes: {containerName: def, operator: NotIn, values: [4]}}, {action: Count, onPodConditions: [{type: DisruptionTarget, status: 'True'}]}]}"),
            ("valid success policy", "completionMode: Indexed\ncompletions: 10\nsuccessPolicy: {rules: [{succeededIndexes: '0-2,5', succeededCount: 2}]}"),
            ("valid backoffLimitPerIndex", "completionMode: Indexed\ncompletions: 10\nbackoffLimitPerIndex: 2\nmaxFailedIndexes: 5"),
            ("valid manual selector", "manualSelector: true\nselector: {matchLabels: {a: b}}\ntemplate: {metadata: {labels: {a: b}}}"),
            ("valid parallelism and completions", "parallelism: 3\ncompletions: 6\nactiveDeadlineSeconds: 60\nttlSecondsAfterFinished: 0\nbackoffLimit: 0"),
            ("valid podReplacementPolicy", "podReplacementPolicy: Failed"),
        ];
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|(name, spec)| {
                let errs = render(&validate(&job(spec)));
                (!errs.is_empty()).then(|| format!("case {name:?}: {errs:?}"))
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}

/// `TestValidateDaemonSet` (`pkg/apis/apps/validation/validation_test.go`), through the API
/// server (`Cluster::create`: defaulting, metadata and spec validation); every cause asserted.
mod test_validate_daemon_set {
    use crate::engine::api::Object;
    use crate::engine::Cluster;
    use k8s_openapi::api::apps::v1::DaemonSet;

    /// Creates the DaemonSet manifest and returns the rendered causes (empty on success).
    fn create(yaml: &str) -> Vec<String> {
        let ds: DaemonSet = match serde_yaml::from_str(yaml) {
            Ok(d) => d,
            Err(e) => return vec![format!("bad fixture: {e}")],
        };
        let mut c = Cluster::new(1);
        match c.create(Object::DaemonSet(ds)) {
            Ok(_) => Vec::new(),
            Err(e) => e
                .invalid
                .map(|d| d.causes.iter().map(ToString::to_string).collect())
                .unwrap_or_else(|| vec![e.message]),
        }
    }

    const TEMPLATE: &str = "  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: ctr, image: image}]}\n";

    #[test]
    fn success_cases() {
        let cases = [
            ("abc", format!("metadata: {{name: abc}}\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n  updateStrategy: {{type: OnDelete}}\n{TEMPLATE}")),
            ("abc-123", format!("metadata: {{name: abc-123}}\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n  updateStrategy: {{type: OnDelete}}\n{TEMPLATE}")),
            ("hostnet", "metadata: {name: hostnet}\nspec:\n  selector: {matchLabels: {a: b}}\n  updateStrategy: {type: OnDelete}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {hostNetwork: true, containers: [{name: abc, image: image, ports: [{containerPort: 12345, protocol: TCP}]}]}\n".to_string()),
        ];
        for (name, yaml) in &cases {
            assert_eq!(create(yaml), Vec::<String>::new(), "case {name}");
        }
    }

    /// `TestValidateDaemonSetUpdate`: create `abc` (selector `a=b`), then replace it with the
    /// edited manifest; the causes of the rejected update.
    fn update(edit: &str) -> Vec<String> {
        let base = format!(
            "metadata: {{name: abc}}\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n{TEMPLATE}"
        );
        let mut c = Cluster::new(1);
        let parsed: Result<DaemonSet, _> = serde_yaml::from_str(&base);
        let Ok(ds) = parsed else {
            return vec!["bad base fixture".into()];
        };
        if let Err(e) = c.create(Object::DaemonSet(ds)) {
            return vec![e.message];
        }
        let parsed: Result<DaemonSet, _> = serde_yaml::from_str(edit);
        let Ok(new) = parsed else {
            return vec!["bad edit fixture".into()];
        };
        match c.replace(Object::DaemonSet(new)) {
            Ok(_) => Vec::new(),
            Err(e) => e
                .invalid
                .map(|d| d.causes.iter().map(ToString::to_string).collect())
                .unwrap_or_else(|| vec![e.message]),
        }
    }

    #[test]
    fn test_validate_daemon_set_update() {
        let immutable = "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"a\":\"c\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable";
        let cases: Vec<(&str, String, Vec<String>)> = vec![
            (
                "valid: change template image and updateStrategy",
                "metadata: {name: abc}\nspec:\n  selector: {matchLabels: {a: b}}\n  updateStrategy: {type: OnDelete}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: ctr, image: image2}]}\n".to_string(),
                vec![],
            ),
            (
                "valid: minReadySeconds and revisionHistoryLimit",
                format!("metadata: {{name: abc}}\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n  minReadySeconds: 10\n  revisionHistoryLimit: 3\n{TEMPLATE}"),
                vec![],
            ),
            (
                "change selector (and template labels to match): selector is immutable",
                "metadata: {name: abc}\nspec:\n  selector: {matchLabels: {a: c}}\n  template:\n    metadata: {labels: {a: c}}\n    spec: {containers: [{name: ctr, image: image}]}\n".to_string(),
                vec![immutable.to_string()],
            ),
            (
                "invalid restart policy",
                "metadata: {name: abc}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {restartPolicy: OnFailure, containers: [{name: ctr, image: image}]}\n".to_string(),
                vec!["spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"".to_string()],
            ),
            (
                "negative minReadySeconds",
                format!("metadata: {{name: abc}}\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n  minReadySeconds: -1\n{TEMPLATE}"),
                vec!["spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0".to_string()],
            ),
            (
                "invalid update strategy",
                format!("metadata: {{name: abc}}\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n  updateStrategy: {{type: RollingUpdate, rollingUpdate: {{maxUnavailable: 0}}}}\n{TEMPLATE}"),
                vec!["spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0".to_string()],
            ),
            (
                "change update strategy",
                format!("metadata: {{name: abc}}\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n  updateStrategy: {{type: RollingUpdate, rollingUpdate: {{maxUnavailable: 1}}}}\n{TEMPLATE}"),
                vec![],
            ),
            (
                "change container image name",
                "metadata: {name: abc}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: def, image: image}]}\n".to_string(),
                vec![],
            ),
            (
                "Read-write volume verification",
                "metadata: {name: abc}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: ctr, image: image}]\n      volumes: [{name: gcepd, gcePersistentDisk: {pdName: my-PD, fsType: ext4, partition: 1, readOnly: false}}]\n".to_string(),
                vec![],
            ),
            (
                "change template and selector: the selector is immutable on apps/v1",
                "metadata: {name: abc}\nspec:\n  selector: {matchLabels: {c: d}}\n  template:\n    metadata: {labels: {c: d}}\n    spec: {containers: [{name: ctr, image: image}]}\n".to_string(),
                vec!["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"c\":\"d\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable".to_string()],
            ),
            (
                "invalid selector",
                "metadata: {name: abc}\nspec:\n  selector: {matchLabels: {NoUppercaseOrSpecialCharsLike=Equals: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: ctr, image: image}]}\n".to_string(),
                vec![
                    format!("spec.selector.matchLabels: Invalid value: \"NoUppercaseOrSpecialCharsLike=Equals\": {}", super::NAME_PART_MSG),
                    "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"NoUppercaseOrSpecialCharsLike=Equals\":\"b\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable".to_string(),
                ],
            ),
            (
                "invalid pod",
                "metadata: {name: abc}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: []}\n".to_string(),
                vec!["spec.template.spec.containers: Required value".to_string()],
            ),
            (
                "invalid update strategy type",
                format!("metadata: {{name: abc}}\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n  updateStrategy: {{type: Random}}\n{TEMPLATE}"),
                vec!["spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:\"Random\", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: \"RollingUpdate\", \"OnDelete\"".to_string()],
            ),
            (
                "negative revisionHistoryLimit",
                format!("metadata: {{name: abc}}\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n  revisionHistoryLimit: -1\n{TEMPLATE}"),
                vec!["spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0".to_string()],
            ),
            (
                "template may not contain ephemeral containers",
                "metadata: {name: abc}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: ctr, image: image}], ephemeralContainers: [{name: debug, image: image, imagePullPolicy: IfNotPresent, terminationMessagePolicy: File}]}\n".to_string(),
                vec!["spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template".to_string()],
            ),
            (
                "activeDeadlineSeconds in the template",
                "metadata: {name: abc}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {activeDeadlineSeconds: 10, containers: [{name: ctr, image: image}]}\n".to_string(),
                vec!["spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported".to_string()],
            ),
        ];
        let mut failures = Vec::new();
        for (name, yaml, want) in &cases {
            let got = update(yaml);
            if &got != want {
                failures.push(format!(
                    "case {name:?}\n  want: {want:#?}\n  got:  {got:#?}"
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// `TestDaemonSetUpdateMaxSurge` (`ValidateRollingUpdateDaemonSet`), through the API server:
    /// an unset maxUnavailable is defaulted to 1 and an unset maxSurge to 0 first
    /// (`SetDefaults_DaemonSet`), so upstream's "invalid: unset" and "valid: surge one" rows,
    /// which call the validator on undefaulted structs, read differently here: `{}` is valid,
    /// and a surge alone needs `maxUnavailable: 0` to stay valid.
    #[test]
    fn test_daemon_set_update_max_surge() {
        let ds = |ru: &str| {
            format!("metadata: {{name: abc}}\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n  updateStrategy: {{type: RollingUpdate, rollingUpdate: {ru}}}\n{TEMPLATE}")
        };
        let both_zero = "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0";
        let percent = |f: &str, v: &str, detail: &str| {
            format!("spec.updateStrategy.rollingUpdate.{f}: Invalid value: intstr.IntOrString{{Type:1, IntVal:0, StrVal:\"{v}\"}}: {detail}")
        };
        let cases: Vec<(&str, &str, Vec<String>)> = vec![
            ("unset (defaulted to maxUnavailable 1)", "{}", vec![]),
            ("invalid: zero percent", "{maxUnavailable: 0%}", vec![both_zero.into()]),
            ("invalid: zero", "{maxUnavailable: 0}", vec![both_zero.into()]),
            ("valid: one", "{maxUnavailable: 1}", vec![]),
            ("valid: one percent", "{maxUnavailable: 1%}", vec![]),
            ("valid: 100%", "{maxUnavailable: 100%}", vec![]),
            ("invalid: greater than 100%", "{maxUnavailable: 101%}", vec![percent("maxUnavailable", "101%", "must not be greater than 100%")]),
            ("invalid: surge and unavailable set", "{maxUnavailable: 1%, maxSurge: 1%}", vec![percent("maxSurge", "1%", "may not be set when maxUnavailable is non-zero")]),
            ("surge alone: maxUnavailable defaulted to 1", "{maxSurge: 1}", vec!["spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:\"\"}: may not be set when maxUnavailable is non-zero".into()]),
            ("valid: surge enabled, unavailable zero", "{maxUnavailable: 0, maxSurge: 1}", vec![]),
            ("valid: surge enabled, unavailable zero percent", "{maxUnavailable: 0%, maxSurge: 1}", vec![]),
            ("valid: surge one percent", "{maxUnavailable: 0, maxSurge: 1%}", vec![]),
            ("valid: surge 100%", "{maxUnavailable: 0, maxSurge: 100%}", vec![]),
            ("invalid: surge greater than 100%", "{maxUnavailable: 0, maxSurge: 101%}", vec![percent("maxSurge", "101%", "must not be greater than 100%")]),
            ("invalid: surge and unavailable 0%", "{maxUnavailable: 0%, maxSurge: 0%}", vec![both_zero.into()]),
            ("invalid: negative surge", "{maxUnavailable: 0, maxSurge: -1}", vec!["spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0".into()]),
            ("invalid: bad percent string", "{maxUnavailable: 0, maxSurge: 5x}", vec![
                percent("maxSurge", "5x", "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"),
                both_zero.into(),
            ]),
        ];
        let mut failures = Vec::new();
        for (name, ru, want) in &cases {
            let got = create(&ds(ru));
            if &got != want {
                failures.push(format!(
                    "case {name:?}\n  want: {want:#?}\n  got:  {got:#?}"
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn error_cases() {
        let sel_msg = "`selector` does not match template `labels`";
        let label_key_msg = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
        let cases: Vec<(&str, String, Vec<String>)> = vec![
            (
                "zero-length ID",
                format!("metadata: {{name: ''}}\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n{TEMPLATE}"),
                vec!["metadata.name: Required value: name or generateName is required".to_string()],
            ),
            (
                "invalid_label 2",
                "metadata: {name: abc-123, labels: {NoUppercaseOrSpecialCharsLike=Equals: bar}}\nspec:\n  template:\n    spec: {containers: [{name: ctr, image: image}]}\n".to_string(),
                vec![
                    format!("metadata.labels: Invalid value: \"NoUppercaseOrSpecialCharsLike=Equals\": {label_key_msg}"),
                    format!("spec.template.metadata.labels: Invalid value: map[string]string(nil): {sel_msg}"),
                ],
            ),
            (
                "nil selector",
                format!("metadata: {{name: abc}}\nspec:\n{TEMPLATE}"),
                vec![format!("spec.template.metadata.labels: Invalid value: map[string]string{{\"a\":\"b\"}}: {sel_msg}")],
            ),
            (
                "empty selector",
                format!("metadata: {{name: abc}}\nspec:\n  selector: {{matchLabels: {{}}}}\n{TEMPLATE}"),
                vec!["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset".to_string()],
            ),
            (
                "selector_doesnt_match",
                format!("metadata: {{name: abc}}\nspec:\n  selector: {{matchLabels: {{foo: bar}}}}\n{TEMPLATE}"),
                vec![format!("spec.template.metadata.labels: Invalid value: map[string]string{{\"a\":\"b\"}}: {sel_msg}")],
            ),
            (
                "invalid template",
                "metadata: {name: abc}\nspec:\n  selector: {matchLabels: {a: b}}\n  template: {}\n".to_string(),
                vec![
                    format!("spec.template.metadata.labels: Invalid value: map[string]string(nil): {sel_msg}"),
                    "spec.template.spec.containers: Required value".to_string(),
                ],
            ),
            (
                "invalid_label",
                format!("metadata: {{name: abc-123, labels: {{NoUppercaseOrSpecialCharsLike=Equals: bar}}}}\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n{TEMPLATE}"),
                vec![format!("metadata.labels: Invalid value: \"NoUppercaseOrSpecialCharsLike=Equals\": {label_key_msg}")],
            ),
            (
                "invalid_label 2 (template labels)",
                "metadata: {name: abc-123}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b, NoUppercaseOrSpecialCharsLike=Equals: b}}\n    spec: {containers: [{name: ctr, image: image}]}\n".to_string(),
                vec![format!("spec.template.labels: Invalid value: \"NoUppercaseOrSpecialCharsLike=Equals\": {label_key_msg}")],
            ),
            (
                "invalid_annotation",
                format!("metadata: {{name: abc-123, annotations: {{NoUppercaseOrSpecialCharsLike=Equals: bar}}}}\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n{TEMPLATE}"),
                vec![format!("metadata.annotations: Invalid value: \"NoUppercaseOrSpecialCharsLike=Equals\": {}", label_key_msg)],
            ),
            (
                "invalid restart policy 1",
                "metadata: {name: abc-123}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {restartPolicy: OnFailure, containers: [{name: ctr, image: image}]}\n".to_string(),
                vec!["spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"".to_string()],
            ),
            (
                "invalid restart policy 2",
                "metadata: {name: abc-123}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {restartPolicy: Never, containers: [{name: ctr, image: image}]}\n".to_string(),
                vec!["spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"".to_string()],
            ),
            (
                "template may not contain ephemeral containers",
                "metadata: {name: abc}\nspec:\n  selector: {matchLabels: {a: b}}\n  updateStrategy: {type: OnDelete}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: ctr, image: image}], ephemeralContainers: [{name: debug, image: image, imagePullPolicy: IfNotPresent, terminationMessagePolicy: File}]}\n".to_string(),
                vec!["spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template".to_string()],
            ),
            (
                "invalid update strategy - maxUnavailable and maxSurge both set",
                format!("metadata: {{name: abc}}\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n  updateStrategy: {{type: RollingUpdate, rollingUpdate: {{maxUnavailable: 1, maxSurge: 1}}}}\n{TEMPLATE}"),
                vec!["spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:\"\"}: may not be set when maxUnavailable is non-zero".to_string()],
            ),
            (
                "invalid update strategy - both 0",
                format!("metadata: {{name: abc}}\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n  updateStrategy: {{type: RollingUpdate, rollingUpdate: {{maxUnavailable: 0, maxSurge: 0}}}}\n{TEMPLATE}"),
                vec!["spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0".to_string()],
            ),
            (
                "invalid update strategy - maxUnavailable over 100%",
                format!("metadata: {{name: abc}}\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n  updateStrategy: {{type: RollingUpdate, rollingUpdate: {{maxUnavailable: 110%}}}}\n{TEMPLATE}"),
                vec!["spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"110%\"}: must not be greater than 100%".to_string()],
            ),
            (
                "invalid pod template: hostPort with hostNetwork",
                "metadata: {name: abc}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {hostNetwork: true, containers: [{name: abc, image: image, ports: [{containerPort: 80, hostPort: 8080}]}]}\n".to_string(),
                vec!["spec.template.spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true".to_string()],
            ),
        ];
        let mut failures = Vec::new();
        for (name, yaml, want) in &cases {
            let got = create(yaml);
            if &got != want {
                failures.push(format!(
                    "case {name:?}\n  want: {want:#?}\n  got:  {got:#?}"
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}

/// `TestValidateSecurityContext` and the pod-level security-context cases of
/// `TestValidatePodSpec`.
mod test_validate_security_context {
    use super::*;

    #[test]
    fn cases() {
        let cases = [
            Case {
                name: "valid container and pod security contexts",
                input: "securityContext: {runAsUser: 1000, runAsGroup: 1000, fsGroup: 2000, supplementalGroups: [3000], fsGroupChangePolicy: OnRootMismatch, seccompProfile: {type: RuntimeDefault}}\ncontainers: [{name: c, image: i, securityContext: {privileged: true, runAsUser: 0, procMount: Default, seccompProfile: {type: Localhost, localhostProfile: profiles/audit.json}}}]\n",
                want: &[],
            },
            Case {
                name: "negative RunAsUser",
                input: "containers: [{name: c, image: i, securityContext: {runAsUser: -1, runAsGroup: -1}}]\n",
                want: &[
                    "spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive",
                    "spec.containers[0].securityContext.runAsGroup: Invalid value: -1: must be between 0 and 2147483647, inclusive",
                ],
            },
            Case {
                name: "bad fsGroup, runAsUser, runAsGroup, supplementalGroups",
                input: "securityContext: {fsGroup: -1, runAsUser: -1, runAsGroup: 2147483648, supplementalGroups: [1, -1]}\ncontainers: [{name: c, image: i}]\n",
                want: &[
                    "spec.securityContext.fsGroup: Invalid value: -1: must be between 0 and 2147483647, inclusive",
                    "spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive",
                    "spec.securityContext.runAsGroup: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive",
                    "spec.securityContext.supplementalGroups[1]: Invalid value: -1: must be between 0 and 2147483647, inclusive",
                ],
            },
            Case {
                name: "bad pod.Spec.ShareProcessNamespace with HostPID",
                input: "hostPID: true\nshareProcessNamespace: true\ncontainers: [{name: c, image: i}]\n",
                want: &["spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled"],
            },
            Case {
                name: "invalid fsGroupChangePolicy",
                input: "securityContext: {fsGroupChangePolicy: Sometimes}\ncontainers: [{name: c, image: i}]\n",
                want: &["spec.securityContext.fsGroupChangePolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnRootMismatch\""],
            },
            Case {
                name: "seccomp Localhost without profile, unknown type",
                input: "securityContext: {seccompProfile: {type: Localhost}}\ncontainers: [{name: c, image: i, securityContext: {seccompProfile: {type: Strict}}}]\n",
                want: &[
                    "spec.containers[0].securityContext.seccompProfile.type: Unsupported value: \"Strict\": supported values: \"Localhost\", \"RuntimeDefault\", \"Unconfined\"",
                    "spec.securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost",
                ],
            },
            Case {
                name: "procMount Unmasked needs hostUsers false",
                input: "containers: [{name: c, image: i, securityContext: {procMount: Unmasked}}]\n",
                want: &["spec.containers[0].securityContext.procMount: Invalid value: \"Unmasked\": `hostUsers` must be false to use `Unmasked`"],
            },
            Case {
                name: "invalid procMount",
                input: "containers: [{name: c, image: i, securityContext: {procMount: Masked}}]\n",
                want: &["spec.containers[0].securityContext.procMount: Unsupported value: \"Masked\": supported values: \"Default\", \"Unmasked\""],
            },
        ];
        run(&cases, pod_spec);
    }
}

/// `TestValidatePodDNSConfig` and the hostAliases / priority / preemption cases of
/// `TestValidatePodSpec`.
mod test_validate_pod_dns_config {
    use super::*;

    #[test]
    fn cases() {
        let cases = [
            Case { name: "valid: DNSNone with 1 nameserver", input: "containers: [{name: c, image: i}]\ndnsPolicy: None\ndnsConfig: {nameservers: [127.0.0.1], searches: [custom, mydomain.com., _sip._tcp.example.com], options: [{name: ndots, value: '2'}]}\n", want: &[] },
            Case { name: "valid: ClusterFirstWithHostNet with hostNetwork", input: "hostNetwork: true\ndnsPolicy: ClusterFirstWithHostNet\ncontainers: [{name: c, image: i}]\n", want: &[] },
            Case {
                name: "invalid: DNSNone with 0 nameserver",
                input: "containers: [{name: c, image: i}]\ndnsPolicy: None\ndnsConfig: {searches: [custom]}\n",
                want: &["spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None"],
            },
            Case {
                name: "invalid: DNSNone without DNSConfig",
                input: "containers: [{name: c, image: i}]\ndnsPolicy: None\n",
                want: &["spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"],
            },
            Case {
                name: "invalid: 4 nameservers",
                input: "containers: [{name: c, image: i}]\ndnsConfig: {nameservers: [127.0.0.1, 10.0.0.10, 8.8.8.8, 1.2.3.4]}\n",
                want: &["spec.dnsConfig.nameservers: Invalid value: []string{\"127.0.0.1\", \"10.0.0.10\", \"8.8.8.8\", \"1.2.3.4\"}: must not have more than 3 nameservers"],
            },
            Case {
                name: "invalid nameserver",
                input: "containers: [{name: c, image: i}]\ndnsConfig: {nameservers: [invalid]}\n",
                want: &["spec.dnsConfig.nameservers[0]: Invalid value: \"invalid\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"],
            },
            Case {
                name: "invalid search path",
                input: "containers: [{name: c, image: i}]\ndnsConfig: {searches: [custom?]}\n",
                want: &["spec.dnsConfig.searches[0]: Invalid value: \"custom?\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*')"],
            },
            Case {
                name: "invalid: empty option name",
                input: "containers: [{name: c, image: i}]\ndnsConfig: {options: [{value: '2'}]}\n",
                want: &["spec.dnsConfig.options[0]: Required value: must not be empty"],
            },
            Case {
                name: "bad hostAliases",
                input: "containers: [{name: c, image: i}]\nhostAliases: [{ip: 999.1.1.1, hostnames: [host1, Host_2]}]\n",
                want: &[
                    "spec.hostAliases[0].ip: Invalid value: \"999.1.1.1\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                    "spec.hostAliases[0].hostnames[1]: Invalid value: \"Host_2\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                ],
            },
            Case {
                name: "bad preemptionPolicy and priorityClassName",
                input: "containers: [{name: c, image: i}]\npriorityClassName: High_Priority\npreemptionPolicy: Sometimes\n",
                want: &[
                    "spec.priorityClassName: Invalid value: \"High_Priority\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                    "spec.preemptionPolicy: Unsupported value: \"Sometimes\": supported values: \"PreemptLowerPriority\", \"Never\"",
                ],
            },
        ];
        run(&cases, pod_spec);
    }
}

/// `TestValidatePodUpdate`, through create + replace.
mod test_validate_pod_update {
    use crate::engine::api::Object;
    use crate::engine::Cluster;
    use k8s_openapi::api::core::v1::Pod;

    const BASE: &str = "metadata: {name: web}\nspec:\n  activeDeadlineSeconds: 100\n  tolerations: [{key: k, operator: Exists, effect: NoExecute, tolerationSeconds: 10}]\n  containers: [{name: app, image: nginx:1.27}]\n";

    fn update(edit: &str) -> Vec<String> {
        let mut c = Cluster::new(1);
        let base: Result<Pod, _> = serde_yaml::from_str(BASE);
        let new: Result<Pod, _> = serde_yaml::from_str(edit);
        let (Ok(base), Ok(mut new)) = (base, new) else {
            return vec!["bad fixture".into()];
        };
        let stored = match c.create(Object::Pod(base)) {
            Ok(Object::Pod(p)) => p,
            Ok(_) => return vec!["not a pod".into()],
            Err(e) => return vec![e.message],
        };
        // A read-modify-write, as `kubectl edit` does: what admission added on create (the
        // service-account token volume and its mounts) stays in the new object.
        if let (Some(old), Some(spec)) = (stored.spec, new.spec.as_mut()) {
            if spec.volumes.is_none() {
                spec.volumes = old.volumes;
            }
            for ctr in &mut spec.containers {
                if ctr.volume_mounts.is_none() {
                    ctr.volume_mounts = old
                        .containers
                        .iter()
                        .find(|o| o.name == ctr.name)
                        .and_then(|o| o.volume_mounts.clone());
                }
            }
        }
        match c.replace(Object::Pod(new)) {
            Ok(_) => Vec::new(),
            Err(e) => e
                .invalid
                .map(|d| d.causes.iter().map(ToString::to_string).collect())
                .unwrap_or_else(|| vec![e.message]),
        }
    }

    #[test]
    fn cases() {
        let other_fields = "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";
        let cases: Vec<(&str, &str, Vec<&str>)> = vec![
            ("image change", "metadata: {name: web}\nspec:\n  activeDeadlineSeconds: 100\n  tolerations: [{key: k, operator: Exists, effect: NoExecute, tolerationSeconds: 10}]\n  containers: [{name: app, image: nginx:1.28}]\n", vec![]),
            ("activeDeadlineSeconds lowered, toleration added and tolerationSeconds changed", "metadata: {name: web}\nspec:\n  activeDeadlineSeconds: 50\n  tolerations: [{key: k, operator: Exists, effect: NoExecute, tolerationSeconds: 20}, {key: j, operator: Exists}]\n  containers: [{name: app, image: nginx:1.27}]\n", vec![]),
            ("more containers", "metadata: {name: web}\nspec:\n  activeDeadlineSeconds: 100\n  tolerations: [{key: k, operator: Exists, effect: NoExecute, tolerationSeconds: 10}]\n  containers: [{name: app, image: nginx:1.27}, {name: sidecar, image: busybox}]\n", vec!["spec.containers: Forbidden: pod updates may not add or remove containers"]),
            ("activeDeadlineSeconds raised", "metadata: {name: web}\nspec:\n  activeDeadlineSeconds: 200\n  tolerations: [{key: k, operator: Exists, effect: NoExecute, tolerationSeconds: 10}]\n  containers: [{name: app, image: nginx:1.27}]\n", vec!["spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value"]),
            ("activeDeadlineSeconds removed", "metadata: {name: web}\nspec:\n  tolerations: [{key: k, operator: Exists, effect: NoExecute, tolerationSeconds: 10}]\n  containers: [{name: app, image: nginx:1.27}]\n", vec!["spec.activeDeadlineSeconds: Invalid value: \"null\": must not update from a positive integer to nil value"]),
            ("toleration removed", "metadata: {name: web}\nspec:\n  activeDeadlineSeconds: 100\n  containers: [{name: app, image: nginx:1.27}]\n", vec!["spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"]),
            ("other field changed", "metadata: {name: web}\nspec:\n  activeDeadlineSeconds: 100\n  tolerations: [{key: k, operator: Exists, effect: NoExecute, tolerationSeconds: 10}]\n  containers: [{name: app, image: nginx:1.27, ports: [{containerPort: 80}]}]\n", vec![other_fields]),
        ];
        let mut failures = Vec::new();
        for (name, yaml, want) in &cases {
            let got = update(yaml);
            if &got != want {
                failures.push(format!(
                    "case {name:?}\n  want: {want:#?}\n  got:  {got:#?}"
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}

/// `TestValidateTopologySpreadConstraints`.
mod test_validate_topology_spread_constraints {
    use super::*;

    #[test]
    fn cases() {
        let cases = [
            Case {
                name: "all required fields ok",
                input: "containers: [{name: c, image: i}]\ntopologySpreadConstraints: [{maxSkew: 1, topologyKey: k8s.io/zone, whenUnsatisfiable: DoNotSchedule, minDomains: 3, nodeAffinityPolicy: Honor, nodeTaintsPolicy: Ignore, labelSelector: {matchLabels: {app: web}}}]\n",
                want: &[],
            },
            Case {
                name: "missing MaxSkew",
                input: "containers: [{name: c, image: i}]\ntopologySpreadConstraints: [{maxSkew: 0, topologyKey: k8s.io/zone, whenUnsatisfiable: DoNotSchedule}]\n",
                want: &["spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero"],
            },
            Case {
                name: "invalid MinDomains when WhenUnsatisfiable=ScheduleAnyway",
                input: "containers: [{name: c, image: i}]\ntopologySpreadConstraints: [{maxSkew: 1, topologyKey: k8s.io/zone, whenUnsatisfiable: ScheduleAnyway, minDomains: 3}]\n",
                want: &["spec.topologySpreadConstraints[0].minDomains: Invalid value: 3: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway"],
            },
            Case {
                name: "negative minDomains is invalid",
                input: "containers: [{name: c, image: i}]\ntopologySpreadConstraints: [{maxSkew: 1, topologyKey: k8s.io/zone, whenUnsatisfiable: DoNotSchedule, minDomains: -1}]\n",
                want: &["spec.topologySpreadConstraints[0].minDomains: Invalid value: -1: must be greater than zero"],
            },
            Case {
                name: "missing TopologyKey",
                input: "containers: [{name: c, image: i}]\ntopologySpreadConstraints: [{maxSkew: 1, topologyKey: '', whenUnsatisfiable: DoNotSchedule}]\n",
                want: &["spec.topologySpreadConstraints[0].topologyKey: Required value: can not be empty"],
            },
            Case {
                name: "unsupported action",
                input: "containers: [{name: c, image: i}]\ntopologySpreadConstraints: [{maxSkew: 1, topologyKey: k8s.io/zone, whenUnsatisfiable: N/A}]\n",
                want: &["spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: \"N/A\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\""],
            },
            Case {
                name: "duplicate constraints",
                input: "containers: [{name: c, image: i}]\ntopologySpreadConstraints: [{maxSkew: 1, topologyKey: k8s.io/zone, whenUnsatisfiable: DoNotSchedule}, {maxSkew: 2, topologyKey: k8s.io/zone, whenUnsatisfiable: DoNotSchedule}]\n",
                want: &["spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: \"{k8s.io/zone, DoNotSchedule}\""],
            },
            Case {
                name: "invalid NodeAffinityPolicy",
                input: "containers: [{name: c, image: i}]\ntopologySpreadConstraints: [{maxSkew: 1, topologyKey: k8s.io/zone, whenUnsatisfiable: DoNotSchedule, nodeAffinityPolicy: invalid}]\n",
                want: &["spec.topologySpreadConstraints[0].nodeAffinityPolicy: Unsupported value: \"invalid\": supported values: \"Honor\", \"Ignore\""],
            },
        ];
        run(&cases, pod_spec);
    }
}

/// `TestValidatePodSpec` gate cases and the pod-deletion-cost case of
/// `TestValidatePodSpecificAnnotations`.
mod test_validate_gates_and_annotations {
    use super::*;

    #[test]
    fn cases() {
        let cases = [
            Case { name: "valid gates", input: "containers: [{name: c, image: i}]\nreadinessGates: [{conditionType: example.com/feature-1}]\nschedulingGates: [{name: example.com/foo}, {name: bar}]\n", want: &[] },
            Case {
                name: "invalid readiness gate and duplicated scheduling gates",
                input: "containers: [{name: c, image: i}]\nreadinessGates: [{conditionType: 'bad condition'}]\nschedulingGates: [{name: foo}, {name: foo}]\n",
                want: &[
                    "spec.readinessGates[0].conditionType: Invalid value: \"bad condition\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                    "spec.schedulingGates[1]: Duplicate value: \"foo\"",
                ],
            },
        ];
        run(&cases, pod_spec);
        let meta: ObjectMeta = serde_yaml::from_str(
            "annotations: {controller.kubernetes.io/pod-deletion-cost: abc}\n",
        )
        .unwrap_or_default();
        assert_eq!(
            render(&validate_pod_deletion_cost(&meta, "metadata.annotations")),
            ["metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: \"abc\": must be a 32bit integer"]
        );
        let ok: ObjectMeta = serde_yaml::from_str(
            "annotations: {controller.kubernetes.io/pod-deletion-cost: '-100'}\n",
        )
        .unwrap_or_default();
        assert!(validate_pod_deletion_cost(&ok, "metadata.annotations").is_empty());
    }
}
