# Generates src/kubectl/explain/schema.rs from the k8s-openapi 0.29 (v1_34) sources in the cargo
# registry: python3 scripts/gen-explain-schema.py src/kubectl/explain/schema.rs
# then regenerate the docs bundle the program reads: UPDATE_DOCS=1 cargo test --lib docs_bundle
# Enum values (which k8s-openapi does not carry) come from the ENUMS table below.
import re, os, glob, json, sys, gzip
ROOT = glob.glob(os.path.expanduser('~/.cargo/registry/src/*/k8s-openapi-0.29.0/src/v1_34'))[0]
# index: Rust type path (crate::api::core::v1::PodSpec) -> file
index = {}
for f in glob.glob(ROOT + '/**/*.rs', recursive=True):
    rel = os.path.relpath(f, ROOT)[:-3].split('/')
    if rel[-1] == 'mod': continue
    t = open(f).read()
    m = re.search(r'^pub (?:struct|enum) (\w+)', t, re.M)
    if not m: continue
    mod = '::'.join(rel[:-1])
    index['crate::%s::%s' % (mod, m.group(1))] = f

def unescape(s):
    return re.sub(r'\\([!-/:-@\[-`{-~])', r'\1', s)

def parse(path):
    t = open(index[path]).read()
    lines = t.split('\n')
    doc = []; i = 0
    while not (lines[i].startswith('pub struct') or lines[i].startswith('pub enum')):
        if lines[i].startswith('///'): doc.append(lines[i][4:] if lines[i].startswith('/// ') else lines[i][3:])
        i += 1
    desc = unescape('\n'.join(doc))
    fields = []
    cur = []
    # json names
    names = dict((b, a) for a, b in re.findall(r'"([^"]+)" => Field::Key_(\w+),', t))
    if lines[i].rstrip().endswith(';') or '(' in lines[i] or lines[i].startswith('pub enum'):
        return desc, None  # newtype (Quantity, Time, IntOrString...)
    i += 1
    while not lines[i].startswith('}'):
        l = lines[i]
        if l.startswith('    ///'):
            cur.append(l[8:] if l.startswith('    /// ') else l[7:])
        m = re.match(r'    pub (\w+): (.*),$', l)
        if m:
            fields.append((names.get(m.group(1), m.group(1)), m.group(2), unescape('\n'.join(cur))))
            cur = []
        i += 1
    return desc, fields

SPECIAL = {
 'crate::apimachinery::pkg::apis::meta::v1::Time': 'string',
 'crate::apimachinery::pkg::apis::meta::v1::MicroTime': 'string',
 'crate::ByteString': 'string',
 'std::string::String': 'string', 'i32': 'integer', 'i64': 'integer', 'f64': 'number', 'bool': 'boolean',
 'crate::serde_json::Value': 'Object',
}
def type_info(rt):
    """returns (guess, refs list of type paths whose description gets appended, ref for traversal)"""
    if rt.startswith('Option<'): rt = rt[7:-1]
    if rt.startswith('std::vec::Vec<'):
        g, r = type_info(rt[14:-1]); return '[]' + g, r
    if rt.startswith('std::collections::BTreeMap<std::string::String, '):
        g, r = type_info(rt[len('std::collections::BTreeMap<std::string::String, '):-1]); return 'map[string]' + g, r
    if rt in SPECIAL:
        return SPECIAL[rt], (rt if rt in index else None)
    if rt in index:
        return rt.split('::')[-1], rt
    raise Exception('unknown type ' + rt)

# The `+enum` string types among the fields above and their constants' doc comments, as a real API
# server (OpenAPIEnums on, the default since 1.25) serves them and k8s-openapi (built from the
# committed spec, which has no enums) leaves out: staging/src/k8s.io/api/{core,apps,batch}/v1/types.go.
# Each value: (value, comment with the constant's name already trimmed, as kube-openapi's
# enumValue.Description does).
TAINT_EFFECT = [
 ("NoExecute", "Evict any already-running pods that do not tolerate the taint. Currently enforced by NodeController."),
 ("NoSchedule", "Do not allow new pods to schedule onto the node unless they tolerate the taint, but allow all pods submitted to Kubelet without going through the scheduler to start, and allow all already-running pods to continue running. Enforced by the scheduler."),
 ("PreferNoSchedule", "Like TaintEffectNoSchedule, but the scheduler tries not to schedule new pods onto the node, rather than prohibiting new pods from scheduling onto the node entirely. Enforced by the scheduler."),
]
ENUMS = {
 ("PodSpec", "dnsPolicy"): [
  ("ClusterFirst", "indicates that the pod should use cluster DNS first unless hostNetwork is true, if it is available, then fall back on the default (as determined by kubelet) DNS settings."),
  ("ClusterFirstWithHostNet", "indicates that the pod should use cluster DNS first, if it is available, then fall back on the default (as determined by kubelet) DNS settings."),
  ("Default", "indicates that the pod should use the default (as determined by kubelet) DNS settings."),
  ("None", "indicates that the pod should use empty DNS settings. DNS parameters such as nameservers and search paths should be defined via DNSConfig."),
 ],
 ("PodSpec", "preemptionPolicy"): [
  ("Never", "means that pod never preempts other pods with lower priority."),
  ("PreemptLowerPriority", "means that pod can preempt other pods with lower priority."),
 ],
 ("PodSpec", "restartPolicy"): [("Always", ""), ("Never", ""), ("OnFailure", "")],
 ("Container", "imagePullPolicy"): [
  ("Always", "means that kubelet always attempts to pull the latest image. Container will fail If the pull fails."),
  ("IfNotPresent", "means that kubelet pulls if the image isn't present on disk. Container will fail if the image isn't present and the pull fails."),
  ("Never", "means that kubelet never pulls an image, but only uses a local image. Container will fail if the image isn't present"),
 ],
 ("Container", "terminationMessagePolicy"): [
  ("FallbackToLogsOnError", "will read the most recent contents of the container logs for the container status message when the container exits with an error and the terminationMessagePath has no contents."),
  ("File", "is the default behavior and will set the container status message to the contents of the container's terminationMessagePath when the container exits."),
 ],
 ("ContainerPort", "protocol"): [("SCTP", "is the SCTP protocol."), ("TCP", "is the TCP protocol."), ("UDP", "is the UDP protocol.")],
 ("Toleration", "effect"): TAINT_EFFECT,
 ("Toleration", "operator"): [("Equal", ""), ("Exists", "")],
 ("Taint", "effect"): TAINT_EFFECT,
 ("DaemonSetUpdateStrategy", "type"): [
  ("OnDelete", "Replace the old daemons only when it's killed"),
  ("RollingUpdate", "Replace the old daemons by new ones using rolling update i.e replace them on each node one after the other."),
 ],
 ("JobSpec", "completionMode"): [
  ("Indexed", "is a Job completion mode. In this mode, the Pods of a Job get an associated completion index from 0 to (.spec.completions - 1). The Job is considered complete when a Pod completes for each completion index."),
  ("NonIndexed", "is a Job completion mode. In this mode, the Job is considered complete when there have been .spec.completions successfully completed Pods. Pod completions are homologous to each other."),
 ],
 ("JobSpec", "podReplacementPolicy"): [
  ("Failed", "means to wait until a previously created Pod is fully terminated (has phase Failed or Succeeded) before creating a replacement Pod."),
  ("TerminatingOrFailed", "means that we recreate pods when they are terminating (has a metadata.deletionTimestamp) or failed."),
 ],
 ("PodFailurePolicyRule", "action"): [
  ("Count", "This is an action which might be taken on a pod failure - the pod failure is handled in the default way - the counter towards .backoffLimit, represented by the job's .status.failed field, is incremented."),
  ("FailIndex", "This is an action which might be taken on a pod failure - mark the Job's index as failed to avoid restarts within this index. This action can only be used when backoffLimitPerIndex is set."),
  ("FailJob", "This is an action which might be taken on a pod failure - mark the pod's job as Failed and terminate all running pods."),
  ("Ignore", "This is an action which might be taken on a pod failure - the counter towards .backoffLimit, represented by the job's .status.failed field, is not incremented and a replacement pod is created."),
 ],
 ("PodFailurePolicyOnExitCodesRequirement", "operator"): [("In", ""), ("NotIn", "")],
}

def with_enum(type_name, field, doc):
    """kube-openapi's generated description of an enum field: the doc, a blank line, then
    `Possible enum values:` and one ` - `"value"` comment` line per value, sorted."""
    values = ENUMS.get((type_name, field))
    if not values:
        return doc, []
    lines = sorted(' - `%s`%s' % (json.dumps(v), (' ' + c) if c else '') for v, c in values)
    return doc + '\n\nPossible enum values:\n' + '\n'.join(lines), sorted(v for v, _ in values)

def rs(s): return json.dumps(s, ensure_ascii=False)
def emit(SET, out):
    keys = {t: t.split('::')[-1] for t in SET}
    assert len(set(keys.values())) == len(keys)
    L = ["// @generated by scripts/gen-explain-schema.py from the k8s-openapi 0.29 (Kubernetes 1.34) doc comments, which are the",
         "// OpenAPI descriptions: the types kubeplay's kinds reach through their fields.",
         "", "use super::{FieldDoc, TypeDoc};", "", "pub(super) const TYPES: &[TypeDoc] = &["]
    for t in SET:
        d, f = parse(t)
        L.append("    TypeDoc {")
        L.append("        name: %s," % rs(keys[t]))
        L.append("        description: %s," % rs(d))
        if f is None:
            L.append("        fields: None,")
        else:
            fl = []
            if t.split('::')[-1] in ROOTS:
                fl.append(("apiVersion", "string", False, APIV, None, []))
                fl.append(("kind", "string", False, KIND, None, []))
            for name, rt, doc in f:
                g, r = type_info(rt)
                req = not rt.startswith('Option<') and name != 'metadata'
                doc, enum = with_enum(keys[t], name, doc)
                fl.append((name, g, req, doc, r.split('::')[-1] if r else None, enum))
            fl.sort(key=lambda x: x[0].encode())
            L.append("        fields: Some(&[")
            for name, g, req, doc, r, enum in fl:
                L.append("            FieldDoc { name: %s, type_guess: %s, required: %s, description: %s, of_type: %s, enum_values: &[%s] }," % (rs(name), rs(g), 'true' if req else 'false', rs(doc), ('Some(%s)' % rs(r)) if r else 'None', ', '.join(rs(v) for v in enum)))
            L.append("        ]),")
        L.append("    },")
    L.append("];")
    open(out, 'w').write('\n'.join(L) + '\n')
ROOTS = {'Pod', 'Node', 'DaemonSet', 'Job', 'Service'}
def closure(SET):
    """SET, then every type its fields reach (sorted), so `explain --recursive` and any field path
    find their types."""
    seen = list(SET); todo = list(SET)
    while todo:
        for name, rt, doc in (parse(todo.pop())[1] or []):
            g, r = type_info(rt)
            if r and r not in SPECIAL and r not in seen:
                seen.append(r); todo.append(r)
    return list(SET) + sorted(t for t in seen if t not in SET)
APIV = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources"
KIND = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"
if __name__ == '__main__':
    core='crate::api::core::v1::'; apps='crate::api::apps::v1::'; batch='crate::api::batch::v1::'; meta='crate::apimachinery::pkg::apis::meta::v1::'
    SET=[core+x for x in 'Pod PodSpec Container ContainerPort Toleration PodTemplateSpec Node NodeSpec Taint'.split()]+[apps+x for x in 'DaemonSet DaemonSetSpec DaemonSetUpdateStrategy RollingUpdateDaemonSet'.split()]+[batch+x for x in 'Job JobSpec PodFailurePolicy PodFailurePolicyRule PodFailurePolicyOnExitCodesRequirement PodFailurePolicyOnPodConditionsPattern SuccessPolicy SuccessPolicyRule'.split()]+[meta+x for x in 'LabelSelector Time'.split()]+['crate::apimachinery::pkg::util::intstr::IntOrString']
    emit(closure(SET), sys.argv[1])
