# A fake API server (discovery + OpenAPI v3 built from the same k8s-openapi descriptions as
# src/kubectl/explain/schema.rs) so the real kubectl can render `explain` for comparison:
#   python3 scripts/explain-oracle.py &   kubectl --server=http://127.0.0.1:18099 explain ds.spec
# Types outside the generated set are stubs (description "STUB").
import json, sys, re
from http.server import BaseHTTPRequestHandler, HTTPServer
import os
exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'gen-explain-schema.py')).read().split("if __name__ == '__main__':")[0])
core='crate::api::core::v1::'; apps='crate::api::apps::v1::'; batch='crate::api::batch::v1::'; meta='crate::apimachinery::pkg::apis::meta::v1::'
SET=[core+x for x in 'Pod PodSpec Container ContainerPort Toleration PodTemplateSpec Node NodeSpec Taint'.split()]+[apps+x for x in 'DaemonSet DaemonSetSpec DaemonSetUpdateStrategy RollingUpdateDaemonSet'.split()]+[batch+x for x in 'Job JobSpec PodFailurePolicy PodFailurePolicyRule PodFailurePolicyOnExitCodesRequirement PodFailurePolicyOnPodConditionsPattern SuccessPolicy SuccessPolicyRule'.split()]+[meta+x for x in 'LabelSelector Time'.split()]+['crate::apimachinery::pkg::util::intstr::IntOrString']
def sname(t): return t.replace('crate::','io.k8s.').replace('::','.')
PRIM={'std::string::String':{'type':'string'},'i32':{'type':'integer','format':'int32'},'i64':{'type':'integer','format':'int64'},'f64':{'type':'number'},'bool':{'type':'boolean'},'crate::ByteString':{'type':'string','format':'byte'}}
def fschema(rt, top=True):
    if rt.startswith('Option<'): rt=rt[7:-1]
    if rt.startswith('std::vec::Vec<'): return {'type':'array','items':fschema(rt[14:-1],False)}
    if rt.startswith('std::collections::BTreeMap<std::string::String, '): return {'type':'object','additionalProperties':fschema(rt[len('std::collections::BTreeMap<std::string::String, '):-1],False)}
    if rt in PRIM: return dict(PRIM[rt])
    ref={'$ref':'#/components/schemas/'+sname(rt)}
    if top: return {'allOf':[ref]}
    return {'allOf':[ref]} 
schemas={}
GVK={'Pod':('','v1'),'Node':('','v1'),'DaemonSet':('apps','v1'),'Job':('batch','v1')}
for t in SET:
    d,f=parse(t)
    n=t.split('::')[-1]
    if n=='IntOrString': schemas[sname(t)]={'description':d,'format':'int-or-string','x-kubernetes-int-or-string':True}; continue
    if n=='Time': schemas[sname(t)]={'description':d,'type':'string','format':'date-time'}; continue
    s={'description':d,'type':'object','properties':{}}
    req=[]
    if n in GVK:
        s['properties']['apiVersion']={'type':'string','description':APIV}
        s['properties']['kind']={'type':'string','description':KIND}
        s['x-kubernetes-group-version-kind']=[{'group':GVK[n][0],'kind':n,'version':GVK[n][1]}]
    for name,rt,doc in f:
        fs=fschema(rt)
        if doc: fs['description']=doc
        s['properties'][name]=fs
        if not rt.startswith('Option<') and name!='metadata': req.append(name)
    if req: s['required']=req
    schemas[sname(t)]=s
# stub ObjectMeta etc. for refs outside the set
for t in list(SET):
    for name,rt,doc in (parse(t)[1] or []):
        g,r=type_info(rt)
        if r and sname(r) not in schemas:
            schemas[sname(r)]={'description':'STUB','type':'object'}
def doc(paths): return {'openapi':'3.0.0','info':{'title':'Kubernetes','version':'v1.34'},'paths':paths,'components':{'schemas':schemas}}
def gvkpath(group,kind,ver): return {'get':{'x-kubernetes-group-version-kind':{'group':group,'kind':kind,'version':ver}}}
DOCS={
 '/openapi/v3/api/v1':doc({'/api/v1/namespaces/{namespace}/pods':gvkpath('','Pod','v1'),'/api/v1/nodes':gvkpath('','Node','v1')}),
 '/openapi/v3/apis/apps/v1':doc({'/apis/apps/v1/namespaces/{namespace}/daemonsets':gvkpath('apps','DaemonSet','v1')}),
 '/openapi/v3/apis/batch/v1':doc({'/apis/batch/v1/namespaces/{namespace}/jobs':gvkpath('batch','Job','v1')}),
}
def res(name,kind,ns,short=[]): return {'name':name,'singularName':kind.lower(),'namespaced':ns,'kind':kind,'verbs':['get','list'],'shortNames':short}
ROUTES={
 '/api':{'kind':'APIVersions','versions':['v1'],'serverAddressByClientCIDRs':[]},
 '/apis':{'kind':'APIGroupList','apiVersion':'v1','groups':[{'name':g,'versions':[{'groupVersion':g+'/v1','version':'v1'}],'preferredVersion':{'groupVersion':g+'/v1','version':'v1'}} for g in ['apps','batch']]},
 '/api/v1':{'kind':'APIResourceList','groupVersion':'v1','resources':[res('pods','Pod',True,['po']),res('nodes','Node',False,['no'])]},
 '/apis/apps/v1':{'kind':'APIResourceList','groupVersion':'apps/v1','resources':[res('daemonsets','DaemonSet',True,['ds'])]},
 '/apis/batch/v1':{'kind':'APIResourceList','groupVersion':'batch/v1','resources':[res('jobs','Job',True)]},
 '/openapi/v3':{'paths':{k[len('/openapi/v3/'):]:{'serverRelativeURL':k+'?hash=ABC'} for k in DOCS}},
}
ROUTES.update(DOCS)
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        p=self.path.split('?')[0]
        if p in ROUTES:
            b=json.dumps(ROUTES[p]).encode()
            self.send_response(200); self.send_header('Content-Type','application/json'); self.send_header('Content-Length',str(len(b))); self.end_headers(); self.wfile.write(b)
        else:
            sys.stderr.write('404 '+self.path+'\n')
            self.send_response(404); self.send_header('Content-Type','application/json'); self.end_headers(); self.wfile.write(b'{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}')
    def log_message(self,*a): pass
HTTPServer(('127.0.0.1',18099),H).serve_forever()
